"""Reckon: many partial victim lists in, one linked and sourced registry out."""

__version__ = "0.1.0"
