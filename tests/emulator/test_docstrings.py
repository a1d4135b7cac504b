"""The short examples in the emulator's docstrings run and stay true."""

import doctest
import importlib
import pkgutil

import pytest

import pintools.emulator

MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages(pintools.emulator.__path__, prefix="pintools.emulator.")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
