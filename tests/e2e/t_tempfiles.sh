# Temporary files are never opened through a name someone else could have
# prepared (issue 10, item 13): `sample --out DIR` wrote each file through
# DIR/.NAME.PID.tmp, following a symlink planted there, so in a shared
# folder another user could have a root run overwrite any file.  Here a
# symlink is planted at every such name (the PID is known: the shell that
# plants them execs civreport); the files they point to must stay as they
# were, the symlinks too, and the sample must be the same as one generated
# in a clean folder.
. "$ROOT/tests/e2e/lib.sh"
set -u

"$BIN" sample --year 2021 --out clean --scale 0.01 --quiet >/dev/null 2>&1 || fail "sample into a clean folder"
names=$(cd clean && ls)
[ -n "$names" ] || fail "the sample wrote no files"

printf 'precious\n' >precious.txt
mkdir shared
export names
sh -c 'for n in $names; do ln -s "$WORK/precious.txt" "shared/.$n.$$.tmp" || exit 9; done
	exec "$BIN" sample --year 2021 --out shared --scale 0.01 --quiet' >out.txt 2>err.txt
rc=$?
[ "$rc" -eq 0 ] || { cat err.txt; fail "sample with planted symlinks: exit $rc, want 0"; }
[ "$(cat precious.txt)" = precious ] || fail "the sample wrote through a planted symlink into precious.txt"
n=$(find shared -name '.*.tmp' -type l | wc -l)
[ "$n" -eq "$(echo "$names" | wc -l)" ] || fail "the planted symlinks were replaced or removed ($n left)"
for f in $names; do
	cmp -s "clean/$f" "shared/$f" || fail "shared/$f differs from the sample made in a clean folder"
	[ -f "shared/$f" ] && [ ! -L "shared/$f" ] || fail "shared/$f is not a plain file"
done
# no temporary file of the run is left
left=$(find shared -name '.*.tmp' ! -type l)
[ -z "$left" ] || fail "temporary files left: $left"
echo "sample: ${#names} bytes of names, $n planted symlinks left alone"
