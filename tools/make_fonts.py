"""Make the two web fonts every screen uses: Be Vietnam Pro Regular (400) and Bold (700),
each one WOFF2 file holding Latin and Vietnamese, subset from the full fonts.

Source: the full TrueType files of Google Fonts' Be Vietnam Pro, as packaged on npm in
`@expo-google-fonts/be-vietnam-pro` (SIL Open Font License 1.1; upstream
https://github.com/bettergui/BeVietnamPro). Needs npm, and fontTools with brotli
(`pip install fonttools brotli`):

    .venv/bin/python tools/make_fonts.py            # fetches the package with `npm pack`
    .venv/bin/python tools/make_fonts.py --source DIR   # DIR holds the package's folders

It writes static/vendor/be-vietnam-pro/be-vietnam-pro-{400,700}.woff2 and prints their sizes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from fontTools import subset

PACKAGE = "@expo-google-fonts/be-vietnam-pro@0.4.1"
WEIGHTS = {400: "400Regular/BeVietnamPro_400Regular.ttf", 700: "700Bold/BeVietnamPro_700Bold.ttf"}
OUT = Path(__file__).resolve().parents[1] / "static" / "vendor" / "be-vietnam-pro"

# Basic Latin and Latin-1, the letters and tone marks of Vietnamese (precomposed and
# combining), the đồng sign, and the punctuation the screens and documents use. Arrows and
# other symbols are not in the font: the browser takes them from a system font.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,"
    "U+01A0-01A1,U+01AF-01B0,U+0300-0301,U+0303-0304,U+0308-0309,U+0323,U+0329,"
    "U+1EA0-1EF9,U+2010-2027,U+2030,U+2039-203A,U+20AB-20AC,U+2122,U+2212,U+2248"
)


def fetch(into: Path) -> Path:
    """The npm package, unpacked into `into`; returns the folder with the weights."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=into, check=True)
    (archive,) = into.glob("*.tgz")
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "package"


def make(source: Path) -> None:
    for weight, name in WEIGHTS.items():
        target = OUT / f"be-vietnam-pro-{weight}.woff2"
        subset.main(
            [
                str(source / name),
                f"--unicodes={UNICODES}",
                "--flavor=woff2",
                "--no-hinting",  # Chromium renders outlines well without; a third smaller
                "--desubroutinize",
                "--layout-features=kern,liga,ccmp,locl,mark,mkmk,case",
                f"--output-file={target}",
            ]
        )
        print(f"{target.relative_to(OUT.parents[2])}: {target.stat().st_size} bytes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="folder of the unpacked npm package")
    args = parser.parse_args()
    if args.source:
        make(args.source)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        make(fetch(Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
