"""The USB export, proved on the booted image (issue 15): a FAT image
hot-plugged as a usb-storage device over QMP is mounted by the package's
udev rule and kiosk-usb-mount@ at /media/kiosk-usb for the kiosk user only;
the service's sandbox sees the mount and writes it; an export through the
staff screen's taps puts every sign-up file on it (read back on the host
with mtools); the kiosk has the stick unmounted before it says it may be
pulled; a stick pulled in the middle of a (throttled) copy holds nothing
that looks complete; retention removed rows older than keep_days at start;
"Erase from kiosk" removes what was verified on the stick.

Needs dosfstools (mkfs.vfat) and mtools on the host."""

import os
import subprocess
import time

from vm import ProtocolError

MOUNT = "/media/kiosk-usb"
STATE = "/var/lib/kiosk"
# Enough rows that a copy throttled to THROTTLE_BPS takes seconds: ~2.5 MB.
ROWS = 20000
THROTTLE_BPS = 200 * 1024


def _host(argv):
    return subprocess.run(argv, capture_output=True, text=True)


def make_stick(path, mib=64):
    if os.path.exists(path):
        os.unlink(path)
    r = _host(["mkfs.vfat", "-C", "-n", "KIOSKUSB", path, str(mib * 1024)])
    if r.returncode != 0:
        raise RuntimeError("mkfs.vfat: " + r.stderr)


def stick_files(path):
    """{name: bytes} of the files in the image's root folder (mtools)."""
    r = _host(["mdir", "-i", path, "-b", "::/"])
    files = {}
    for line in r.stdout.splitlines():
        name = line.strip().split("/")[-1]
        if not name:
            continue
        t = subprocess.run(["mtype", "-i", path, "::/" + name], capture_output=True)
        files[name] = t.stdout
    return files


class Stick:
    def __init__(self, vm, image, ident, bps=None):
        self.vm, self.image, self.id, self.bps = vm, image, ident, bps
        self.node = "node-" + ident

    def plug(self):
        q = self.vm.qmp
        raw = {"driver": "raw", "file": {"driver": "file", "filename": self.image}}
        if self.bps:
            q.execute("object-add", {"qom-type": "throttle-group", "id": "thr-" + self.id,
                                     "limits": {"bps-total": self.bps}})
            q.execute("blockdev-add", {"driver": "throttle", "node-name": self.node,
                                       "throttle-group": "thr-" + self.id,
                                       "file": dict(raw, **{"node-name": self.node + "-raw"})})
        else:
            q.execute("blockdev-add", dict(raw, **{"node-name": self.node}))
        q.execute("device_add", {"driver": "usb-storage", "id": self.id, "drive": self.node,
                                 "removable": True})

    def pull(self):
        q = self.vm.qmp
        q.execute("device_del", {"id": self.id})
        for _ in range(40):
            try:
                q.execute("blockdev-del", {"node-name": self.node})
                break
            except ProtocolError:
                time.sleep(0.25)  # the device lets go of the drive asynchronously
        if self.bps:
            try:
                q.execute("object-del", {"id": "thr-" + self.id})
            except ProtocolError:
                pass


def guest_wait(vm, script, timeout, poll=0.5):
    """Runs script until it prints something; returns that or ""."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        out = vm.ga.out(script)
        if out:
            return out
        time.sleep(poll)
    return ""


def prepare_data(vm):
    """Sign-ups in every kind of file, some older than keep_days (90)."""
    script = r"""
set -e
systemctl stop kiosk
f=%(state)s/signups.csv
head -n1 "$f" | grep -q '^id,timestamp' || { echo "no header in $f"; exit 1; }
n=$(head -n1 "$f" | tr ',' '\n' | wc -l)
now=$(date -u +%%Y-%%m-%%dT%%H:%%M:%%S+00:00)
awk -v n="$n" -v now="$now" -v rows=%(rows)d 'BEGIN {
  for (i = 1; i <= rows; i++) {
    printf "usb%%06d,%%s", i, now; for (c = 3; c <= n; c++) printf ",v%%06dc%%d", i, c; printf "\r\n" }
  printf "old000001,2020-01-01T10:00:00+00:00"; for (c = 3; c <= n; c++) printf ",old"; printf "\r\n" }' >>"$f"
printf 'id,timestamp,name\r\narch00001,%%s,Archived Anna\r\nold000002,2020-01-01T10:00:00+00:00,Old Olga\r\n' "$now" \
  >%(state)s/signups-20260101-120000.csv
printf 'torn00001,%%s,Torn Tom' "$now" >%(state)s/signups.csv.partial
chown kiosk:kiosk %(state)s/signups*
chmod 600 %(state)s/signups*
systemctl start kiosk
""" % {"state": STATE, "rows": ROWS}
    return vm.ga.run(script, timeout=120)


def open_staff(vm, plan, buttons, screen, tag, close=True):
    """Close the staff screen an earlier step left open, then the corner
    hold and the PIN. Not from the slides (close=False): the slides' "Larger
    text" button is where the staff screen's Close is."""
    from run import play
    if close:
        vm.tap(*buttons["close"])
        time.sleep(1.5)
    return play(vm, plan, screen, tag, 0.8)


def journal_has(vm, since, text, timeout):
    from run import journal_since
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        j = journal_since(vm, since)
        if text in j:
            return j
        time.sleep(1)
    return ""


def run_usb(vm, screen, args, proof, log):
    from run import cursor
    plan = [s for s in read_usb_plan(args.usb_plan) if s[0] != "button"]
    buttons = {s[1]: (s[2], s[3]) for s in read_usb_plan(args.usb_plan) if s[0] == "button"}
    art = screen.artifacts

    # ---- data, and retention at start ---------------------------------------
    # The full run's sign-up journey may have left rows already.
    before = int(vm.ga.out("grep -c '' %s/signups.csv" % STATE) or 1)
    rc, out, err = prepare_data(vm)
    proof(rc == 0, "sign-ups written in the live file (%d rows), an archive and a .partial, "
          "two of them older than keep_days (%s)" % (ROWS, (out + err).strip()[:200] or "ok"))
    guest_wait(vm, "systemctl is-active kiosk | grep -x active", 60)
    time.sleep(3)
    left = vm.ga.out("grep -l -e old000001 -e old000002 %s/signups* 2>/dev/null; "
                     "grep -c '' %s/signups.csv" % (STATE, STATE)).splitlines()
    kept = left[-1] if left else "?"
    proof(len(left) == 1 and kept == str(before + ROWS),
          "retention at start (keep_days 90): the rows from 2020 are gone from the live file "
          "and the archive, the others kept (signups.csv has %s lines, rows from 2020 in: %s)"
          % (kept, ", ".join(left[:-1]) or "none"))
    log(vm.ga.out("journalctl -u kiosk -b -o cat --no-pager | grep retention | tail -n 2"))
    screen.wait_for(screen.ref("01-"), "usb-slides", 90)

    # ---- a stick pulled in the middle of a copy ------------------------------
    img2 = os.path.join(args.workdir, "stick-pulled.img")
    make_stick(img2)
    slow = Stick(vm, img2, "stick1", bps=THROTTLE_BPS)
    slow.plug()
    mounted = guest_wait(vm, "findmnt -n -o SOURCE %s" % MOUNT, 40)
    log("slow stick mounted from %s" % (mounted or "nowhere"))
    c0 = cursor(vm)
    ok = open_staff(vm, plan, buttons, screen, "usb-pull", close=False)
    vm.tap(*buttons["export"])
    tmp = guest_wait(vm, "ls %s | grep '\\.tmp$'" % MOUNT, 60, poll=0.2)
    time.sleep(1.0)
    done_before = vm.ga.out("ls %s | grep -v '\\.tmp$' | grep csv" % MOUNT)
    slow.pull()
    j = journal_has(vm, c0, "Export failed", 90)
    screen.shot("usb-pulled-message")
    files = stick_files(img2)
    complete_looking = [n for n in files if n.lower().endswith(".csv")]
    failed_line = next((l for l in j.splitlines() if "Export failed" in l), "")
    proof(ok and bool(tmp) and not done_before and not complete_looking and
          "Nothing on the stick is complete" in failed_line,
          "a stick pulled in the middle of a copy (throttled to %d KB/s, pulled while %s was "
          "being written) holds no file that looks complete (%s), and the staff screen says so: "
          "\"%s\"" % (THROTTLE_BPS // 1024, tmp.strip() or "nothing", ", ".join(sorted(files))
                      or "empty", failed_line.strip()[:200]))
    guest_wait(vm, "findmnt -n %s >/dev/null || echo gone" % MOUNT, 30)

    # ---- the export ----------------------------------------------------------
    img = os.path.join(args.workdir, "stick.img")
    make_stick(img)
    stick = Stick(vm, img, "stick2")
    stick.plug()
    found = guest_wait(vm, "findmnt -n -o SOURCE,FSTYPE,OPTIONS %s" % MOUNT, 40)
    uid = vm.ga.out("id -u kiosk")
    opts = found.split()[-1] if found else ""
    want = ["uid=" + uid, "gid=", "fmask=0077", "dmask=0077", "nosuid", "nodev", "noexec"]
    proof(bool(found) and all(w in opts for w in want),
          "a FAT stick hot-plugged as usb-storage is mounted at %s for the kiosk user only "
          "(%s)" % (MOUNT, found or "not mounted within 40 s"))
    pid = vm.ga.out("systemctl show -p MainPID --value kiosk")
    inside = vm.ga.out("nsenter -t %s -m findmnt -n -o OPTIONS %s" % (pid, MOUNT))
    proof(inside.startswith("rw,"), "the kiosk service's sandbox (ProtectSystem=strict, "
          "PrivateMounts=yes) sees the mount, read-write (%s)" % (inside or "not there"))
    c1 = cursor(vm)
    ok = open_staff(vm, plan, buttons, screen, "usb-export")
    vm.tap(*buttons["export"])
    j = journal_has(vm, c1, "export done", 120)
    safe = "You can pull the stick out now" in j
    unmounted = guest_wait(vm, "findmnt -n %s >/dev/null || echo gone" % MOUNT, 30)
    time.sleep(2)
    screen.shot("usb-exported")
    done = next((l for l in j.splitlines() if "export done" in l), "")
    proof(bool(done) and bool(safe) and unmounted == "gone",
          "Export to USB through the staff screen: \"%s\"; the stick was unmounted before the "
          "screen said it may be pulled (%s)" % (done.strip(), "yes" if safe else "no"))
    stick.pull()
    files = stick_files(img)
    with open(os.path.join(art, "stick-files.txt"), "w") as f:
        for n, b in sorted(files.items()):
            f.write("%s %d bytes\n" % (n, len(b)))
    live = [b for n, b in files.items() if n.startswith("signups-") and "recovered" not in n
            and "20260101" not in n]
    arch = files.get("signups-20260101-120000.csv", b"")
    rec = [b for n, b in files.items() if "recovered" in n]
    ids = set(l.split(b",")[0] for l in (live[0] if live else b"").split(b"\r\n"))
    missing = [i for i in range(1, ROWS + 1) if b"usb%06d" % i not in ids]
    proof(len(live) == 1 and not missing and b"old000001" not in live[0]
          and b"arch00001" in arch and b"old000002" not in arch
          and len(rec) == 1 and b"torn00001" in rec[0],
          "read back on the host with mtools: every row is there: %d of %d in the live "
          "file's copy, the archive under its own name, the .partial's torn row in %s "
          "(files: %s)" % (ROWS - len(missing), ROWS,
                           [n for n in files if "recovered" in n] or "no file",
                           ", ".join(sorted(files))))

    # ---- erase what was verified ----------------------------------------------
    c2 = cursor(vm)
    vm.tap(*buttons["erase"])
    time.sleep(1.5)
    screen.shot("usb-erase-confirm")
    vm.tap(*buttons["yes"])
    j = journal_has(vm, c2, "erased", 30)
    after = vm.ga.out("grep -c '' %s/signups.csv; ls %s" % (STATE, STATE))
    screen.shot("usb-erased")
    erased = next((l for l in j.splitlines() if "erased" in l), "")
    lines = after.splitlines()
    # Everything the export wrote: the rows above, any from the sign-up
    # journey, the archive's and the .partial's.
    exported = done.split("export done: ")[-1].split(" ")[0]
    proof(lines[:1] == ["1"] and "signups.csv.partial" not in after
          and "signups-20260101-120000.csv" not in after
          and "erased %s sign-up(s)" % exported in erased and int(exported) >= ROWS + 2,
          "Erase from kiosk, confirmed: the verified rows are gone from every file (%s; "
          "signups.csv has %s line(s)); the journal gives the count only: \"%s\""
          % (" ".join(lines[1:]), lines[0] if lines else "?", erased.strip()))
    vm.tap(*buttons["close"])


def read_usb_plan(path):
    from run import read_plan
    plan = read_plan(path)
    with open(path) as f:
        for line in f:
            p = line.split()
            if p and p[0] == "button":
                plan.append(("button", p[1], int(p[2]), int(p[3])))
    return plan
