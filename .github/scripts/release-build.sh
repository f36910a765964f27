#!/usr/bin/env bash
# The build steps of a release, run by .github/workflows/release.yml on a tag and, on a copy of
# the repository with example publication facts, by tests/test_release_dry_run.py:
#
#   .github/scripts/release-build.sh TAG OUT
#
# 1. Check the tag against the checkout (python -m palliativ_data._authoring.preflight): the
#    version, the changelog, the fingerprint and every publication fact. Any problem stops here,
#    before anything is built or published, and each is named.
# 2. One SOURCE_DATE_EPOCH for all that is built (the tagged commit's time unless it is set).
# 3. OUT/python-dist/: the wheel and sdist, `twine check --strict`, named with the tag's version.
# 4. OUT/data-release/: the data release, once, with --strict-metadata (the base URL and the
#    rest come from the publication facts), checked with `sha256sum -c`.
# 5. OUT/site/: the site, whose downloads page lists and ships that very release
#    (PALLIATIV_DATA_SITE_RELEASE); the hook rewrites the generated pages of docs/ as it does.
# 6. OUT/assets/: what the GitHub release gets (wheel, sdist, zip, datapackage.json) and
#    SHA256SUMS over them; the site's copy of the zip must be the same bytes.
#
# PYTHON names the interpreter (default: python), with the test and docs extras installed.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 TAG OUT (e.g. $0 v0.3.0 \"\$RUNNER_TEMP/release\")" >&2
  exit 2
fi
tag="$1"
out="$(realpath -m "$2")"
python="${PYTHON:-python}"
cd "$(dirname "$0")/../.."

if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "error: $out is not empty; give a new folder" >&2
  exit 2
fi

echo "::group::Check ${tag}"
"$python" -m palliativ_data._authoring.preflight "$tag"
echo "::endgroup::"
version="${tag#v}"

SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
export SOURCE_DATE_EPOCH
export NO_MKDOCS_2_WARNING=1

echo "::group::Wheel and sdist"
"$python" -m build --no-isolation --outdir "$out/python-dist" .
"$python" -m twine check --strict "$out/python-dist"/*
for built in "palliativ_data-${version}-py3-none-any.whl" "palliativ_data-${version}.tar.gz"; do
  if [ ! -f "$out/python-dist/$built" ]; then
    echo "error: $built was not built: the wheel's version is not the tag's" >&2
    exit 1
  fi
done
echo "::endgroup::"

echo "::group::Data release"
"$python" -m palliativ_data build --strict-metadata --out "$out/data-release"
zip_name="$(cd "$out/data-release" && ls -- *.zip)"
name="${zip_name%.zip}"
(cd "$out/data-release/$name" && sha256sum --check --quiet SHA256SUMS)
echo "::endgroup::"

echo "::group::Site"
PALLIATIV_DATA_SITE_RELEASE="$out/data-release" "$python" -m mkdocs build --strict --site-dir "$out/site"
echo "::endgroup::"

echo "::group::Release assets"
mkdir -p "$out/assets"
cp -- "$out/python-dist"/* "$out/data-release/$zip_name" "$out/data-release/$name/datapackage.json" "$out/assets/"
(cd "$out/assets" && sha256sum -- * > SHA256SUMS)
cmp -- "$out/site/downloads/files/$zip_name" "$out/assets/$zip_name"
cat "$out/assets/SHA256SUMS"
echo "::endgroup::"
