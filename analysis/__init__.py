"""lpwan-sec's analysis scripts as an importable package: the loaders of results.py.

    import sys; sys.path.insert(0, "/path/to/lpwan-sec")
    from analysis import load_run, load_sweep, sweep_messages, sweep_energy

The modules are also the ./lpwan commands' scripts, run as `python3 analysis/NAME.py`, and
import each other by bare name (`import lpwan_runs`); this directory is put on sys.path so that
the same imports work when the modules are imported through the package.
"""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.append(_HERE)

from results import (RUN_KEYS, IncompleteRun, Run, load_run, load_sweep,  # noqa: E402
                     sweep_energy, sweep_messages, sweep_metadata)

__all__ = ["IncompleteRun", "RUN_KEYS", "Run", "load_run", "load_sweep", "sweep_energy",
           "sweep_messages", "sweep_metadata"]
