"""xornet: reproduction of Yang, Arora & Bachmann, 'Dissecting a Small Artificial Neural
Network', J. Phys. A 58, 025001 (2025), arXiv:2501.08341."""

import hashlib as _hashlib
import os as _os
from pathlib import Path as _Path

__version__ = "0.1.0"


def _numba_cache_dir() -> str:
    """numba's on-disk cache is invalidated only when the *defining* file changes, not when a
    kernel it inlines from another module does. Keying the cache directory on a hash of all
    package sources makes any source change start from a clean cache."""
    h = _hashlib.sha256()
    for p in sorted(_Path(__file__).resolve().parent.rglob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    base = _os.environ.get("XDG_CACHE_HOME") or _os.path.join(_os.path.expanduser("~"), ".cache")
    return _os.path.join(base, "xornet", "numba", h.hexdigest()[:16])


if "NUMBA_CACHE_DIR" not in _os.environ:
    _os.environ["NUMBA_CACHE_DIR"] = _numba_cache_dir()
    try:  # numba imported before xornet: point its config at the directory too
        import sys as _sys

        if "numba" in _sys.modules:
            _sys.modules["numba"].config.CACHE_DIR = _os.environ["NUMBA_CACHE_DIR"]
    except Exception:  # pragma: no cover
        pass
