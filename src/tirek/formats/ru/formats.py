"""Russian formats as used in Kazakhstan: the same dd.mm.yyyy dates and space-grouped numbers as Kazakh."""

from tirek.formats.kk.formats import *  # noqa: F403
