"""Codec: the only code that knows whoosh3's on-disk layout.

Everything here reads or writes Whoosh's segment files below its public API (posting
blocks, field lengths, stored-field pickles, deflate streams) for speed, and every use
is guarded by one capability probe so that another Whoosh falls back to the public API.
No module outside this package touches a private attribute of a Whoosh object.
"""

from searchkit.codec import safepickle

safepickle.install()  # before any index is opened: Whoosh's pickle readers become the restricted ones
