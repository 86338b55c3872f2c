"""Tirek: interagency case management and reporting for children's services in Kazakhstan."""

__version__ = "0.1.0"
