"""pintools' version (one place: the package, the User-Agent and pyproject's check read it).

>>> __version__.count(".")
2
"""

__version__ = "0.1.0"
