"""moto_server with one fix for the e2e's teardown of a versioned state bucket.

moto 5.2 keeps delete markers (FakeDeleteMarker) in the same per-key version list as objects and calls
dispose() on every entry when a key's last version goes (moto/s3/utils.py, _VersionedKeyStore.pop);
a delete marker has no dispose(), so emptying a bucket whose S3 lock files left delete markers answers
500 and the provider's force_destroy retries until it times out. A delete marker holds no data, so
disposing of it is a no-op. Everything else is moto's own server, with the arguments given.
"""
import sys

from moto.s3 import models

if not hasattr(models.FakeDeleteMarker, "dispose"):
    models.FakeDeleteMarker.dispose = lambda self, garbage=False: None

from moto.server import main  # noqa: E402  (after the fix, so the server's S3 backend has it)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
