"""usmx: sourced tables and charts on US funding of Mexican security and immigration
enforcement, and on the deportation of children."""

__version__ = "0.1.0"
