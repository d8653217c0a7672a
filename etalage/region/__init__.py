"""Region packs: a region's taxonomy, vocabulary and assistant rules, as data."""

from etalage.region.loader import RegionPackError, available_packs, load_pack
from etalage.region.model import RegionPack

__all__ = ["RegionPack", "RegionPackError", "available_packs", "load_pack"]
