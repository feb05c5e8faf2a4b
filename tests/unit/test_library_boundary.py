"""The library never imports the development tools when it is imported.

devtools/ (the local test site, the Airflow stack launcher) ships in the same
distribution, but only `newswire demo` and `newswire testsite` reach it, lazily: an
analyst importing any library module must not load it, nor Airflow.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import newswire

PROBE = """
import importlib, json, pkgutil, sys
import newswire
names = [m.name for m in pkgutil.walk_packages(newswire.__path__, "newswire.")
         if ".sql" not in m.name]
for name in names:
    importlib.import_module(name)
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"devtools", "airflow"})
print(json.dumps({"imported": len(names), "loaded": loaded}))
"""


def test_importing_every_library_module_loads_neither_devtools_nor_airflow() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], check=True, capture_output=True, text=True
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    expected = [m.name for m in pkgutil.walk_packages(newswire.__path__, "newswire.")]
    assert found["imported"] >= 50 and "newswire.cli" in expected
    assert found["loaded"] == []


def test_the_test_site_lives_in_devtools() -> None:
    import devtools.testsite

    assert Path(devtools.testsite.__file__).parent.parent.name == "devtools"
    assert not (Path(newswire.__file__).parent / "testsite").exists()
