"""Copy the front-end packages installed by npm into the portal's static folder.

USWDS ships its compiled CSS, JavaScript, fonts and images in `dist/`; htmx ships one file.
"""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "ctpat" / "static" / "vendor"


def main() -> None:
    uswds = ROOT / "node_modules" / "@uswds" / "uswds" / "dist"
    htmx = ROOT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"
    for required in (uswds, htmx):
        if not required.exists():
            raise SystemExit(f"missing {required}: run `npm install` first")
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    shutil.copytree(uswds, VENDOR / "uswds", ignore=shutil.ignore_patterns("*.map", "scss"))
    (VENDOR / "htmx").mkdir(parents=True)
    shutil.copy2(htmx, VENDOR / "htmx" / "htmx.min.js")
    print(f"assets copied to {VENDOR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
