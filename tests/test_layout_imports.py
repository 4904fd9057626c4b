"""The package's rooms import only what the README's "Development" section allows."""

from __future__ import annotations

import subprocess
import sys


def test_results_import_no_whoosh() -> None:
    """A front end can use the result types without loading Whoosh."""
    code = "import sys, searchkit.results; assert not any(m.startswith('whoosh') for m in sys.modules), 'whoosh'"
    subprocess.run([sys.executable, "-c", code], check=True)
