"""Where the site's hashed static files are found: WhiteNoise's compressed manifest storage, with each
name's address remembered by the process.

A page asks for the same half-dozen addresses on every render (the stylesheet, the icons, the
scripts), and each lookup cleans the name, splits it and reads the manifest again. The manifest is
read once, when the storage is made, so an address cannot change during the process's life: it is
remembered. ``collectstatic`` never goes through ``url()`` with ``force`` off, so it is unaffected.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        address = self._addresses.get(name)
        if address is None:
            address = self._addresses[name] = super().url(name)
        return address
