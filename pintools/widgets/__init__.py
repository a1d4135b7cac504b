"""ipywidgets UIs over the library: each is one call, holds no business logic, and shows
errors as a readable line instead of a traceback.

>>> import pintools as pt
>>> dash = pt.widgets.dashboard()       # doctest: +SKIP
>>> dash                                # shows the controls in a notebook   # doctest: +SKIP
"""

from .dashboard import Dashboard, dashboard

__all__ = ["Dashboard", "dashboard"]
