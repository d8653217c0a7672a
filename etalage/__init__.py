"""Etalage: the regional zorglandschap-etalage."""

from pathlib import Path

__version__ = "0.1.0"

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Where `templates` or `static` live, relative to the installed package.

    A built wheel carries them inside the package (`etalage/_templates`); an editable
    install or a checkout finds them beside the package, at the top of the repository.
    """
    inside = _PACKAGE_DIR / f"_{name}"
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent / name
