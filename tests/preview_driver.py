"""Preview builds as `build.py serve` makes them, one per line read (for test_preview.py).

    python tests/preview_driver.py NOTICES SITE

Each line on stdin asks for one build of NOTICES into SITE, in this one
process (a preview remembers the last build: gazette/preview.py), the way
MkDocs' server does after a save.  "build": "built" is printed once the
search index, feeds and open data are in place too; "pages": as soon as the
pages are; "settle": when the rest is.  A build that fails prints "failed",
and the process goes on, as the server does.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from gazette import preview  # noqa: E402

notices, site = sys.argv[1:3]
for line in sys.stdin:
    command = line.strip()
    if command == "settle":
        preview.settle()
        print("settled", flush=True)
        continue
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=site)
    config.extra["notices_dir"] = os.path.relpath(notices, ROOT)
    config.extra["preview"] = True
    try:
        build(config, dirty=True)
    except Exception:
        print("failed", flush=True)
        continue
    if command == "build":
        preview.settle()
    print("built", flush=True)
preview.stop_later(wait=True)
