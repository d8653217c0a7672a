"""The landscape monitor (docs/landscape.md): supply, waiting times and gaps (lacunes)
per profile x intensity x municipality, as of any day, computed from provider records."""
