"""Preview builds as `build.py serve` makes them, one per line read (for test_preview.py).

    python tests/preview_driver.py NOTICES SITE

Each line on stdin asks for one build of NOTICES into SITE, in this one
process (a preview remembers the last build: gazette/preview.py), the way
MkDocs' server does after a save; "built" is printed once the search index
is in place too.
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
for _ in sys.stdin:
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=site)
    config.extra["notices_dir"] = os.path.relpath(notices, ROOT)
    config.extra["preview"] = True
    build(config, dirty=True)
    preview.settle()
    print("built", flush=True)
