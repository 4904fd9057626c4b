"""The index's upkeep commands: `searchkit check` and `searchkit optimize` (registered on the CLI's group)."""

from __future__ import annotations

import click

from searchkit.cli import _errors, index_option, main, wait_option
from searchkit.render import safe


@main.command("check")
@index_option
def check_cmd(index_dir: str) -> None:
    """Verify every index file against the checksum recorded when it was written."""
    from searchkit.api import Index

    with _errors(), Index.open(index_dir) as ix:
        found = ix.check()
    click.echo(f"ok: {found.files} files, {found.bytes:,} bytes, match the checksums recorded at their commit")
    if found.unrecorded:  # written before searchkit recorded checksums
        names = ", ".join(safe(n) for n in found.unrecorded)
        click.echo(f"note: no checksum recorded for {names} (written before checksums); they open and read", err=True)


@main.command("optimize")
@index_option
@wait_option
def optimize_cmd(index_dir: str, wait: float) -> None:
    """Merge the index into one segment, dropping deleted paragraphs for good."""
    from searchkit.api import Index

    with _errors(), Index.open(index_dir) as ix:
        ix.optimize(wait=wait)
    click.echo("optimized: one segment, no deleted paragraphs")
