"""The defaults every face of searchkit shares: referenced, never retyped.

The library's keyword defaults, the CLI's option defaults and the docs all name these,
so changing one here changes it everywhere.
"""

from __future__ import annotations

#: The index folder used when none is given (the CLI also reads SEARCHKIT_INDEX).
INDEX_DIR = "index"

#: The folder `searchkit index` reads when given no paths.
CORPUS_DIR = "corpus"

#: Seconds to wait for another process's write lock before giving up.
WAIT = 5.0

#: Hits per page.
LIMIT = 10

#: A snippet's target width in characters.
WIDTH = 240
