"""The VM under test: qemu-system-x86_64 (or -aarch64) with a QMP socket
for the screen and the touch input, and a qemu guest agent channel for
commands inside the guest. Standard library only."""

import base64
import json
import os
import random
import socket
import subprocess
import time


class ProtocolError(Exception):
    pass


class _JsonSocket:
    """Line-delimited JSON over a unix socket, as QMP and the guest agent speak."""

    def __init__(self, path, timeout):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""

    def send(self, obj):
        self.sock.sendall(json.dumps(obj).encode() + b"\n")

    def recv(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            nl = self.buf.find(b"\n")
            if nl >= 0:
                line, self.buf = self.buf[:nl], self.buf[nl + 1:]
                # The guest agent puts 0xFF before the answer to
                # guest-sync-delimited; QMP never sends it.
                line = line.replace(b"\xff", b"").strip()
                if not line:
                    continue
                try:
                    return json.loads(line)
                except ValueError:
                    continue  # a half line left over from an earlier session
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("no answer from " + self.path)
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ProtocolError("connection closed: " + self.path)
            self.buf += chunk

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Qmp:
    def __init__(self, path, timeout=30):
        self.js = _JsonSocket(path, timeout)
        greeting = self.js.recv(timeout)
        if "QMP" not in greeting:
            raise ProtocolError("no QMP greeting: %r" % greeting)
        self.execute("qmp_capabilities")

    def execute(self, cmd, args=None, timeout=60):
        msg = {"execute": cmd}
        if args is not None:
            msg["arguments"] = args
        self.js.send(msg)
        while True:
            ans = self.js.recv(timeout)
            if "event" in ans:
                continue
            if "error" in ans:
                raise ProtocolError("%s: %s" % (cmd, ans["error"].get("desc", ans["error"])))
            return ans.get("return")

    def close(self):
        self.js.close()


class GuestAgent:
    """Commands in the guest through qemu-guest-agent (guest-exec)."""

    def __init__(self, path):
        self.path = path
        self.js = None

    def _connect(self, timeout):
        if self.js:
            self.js.close()
        self.js = _JsonSocket(self.path, timeout)
        ident = random.randrange(1, 2**31)
        self.js.send({"execute": "guest-sync-delimited", "arguments": {"id": ident}})
        while True:
            ans = self.js.recv(timeout)
            if ans.get("return") == ident:
                return

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._connect(5)
                return True
            except (OSError, socket.timeout, ProtocolError):
                if self.js:
                    self.js.close()
                    self.js = None
                if time.monotonic() > deadline:
                    return False
                time.sleep(1)

    def _cmd(self, cmd, args, timeout):
        if self.js is None:
            self._connect(10)
        self.js.send({"execute": cmd, "arguments": args})
        ans = self.js.recv(timeout)
        if "error" in ans:
            raise ProtocolError("%s: %s" % (cmd, ans["error"].get("desc")))
        return ans.get("return")

    def run(self, script, timeout=60):
        """Runs a shell script as root; returns (status, stdout, stderr)."""
        for attempt in range(3):
            try:
                pid = self._cmd("guest-exec", {"path": "/bin/sh", "arg": ["-c", script],
                                               "capture-output": True}, 20)["pid"]
                break
            except (OSError, socket.timeout, ProtocolError):
                if attempt == 2:
                    raise
                self.js = None
                time.sleep(1)
        deadline = time.monotonic() + timeout
        while True:
            st = self._cmd("guest-exec-status", {"pid": pid}, 20)
            if st.get("exited"):
                out = base64.b64decode(st.get("out-data", "")).decode("utf-8", "replace")
                err = base64.b64decode(st.get("err-data", "")).decode("utf-8", "replace")
                code = st.get("exitcode", 128 + st.get("signal", 0))
                return code, out, err
            if time.monotonic() > deadline:
                raise socket.timeout("guest command did not finish: " + script)
            time.sleep(0.2)

    def out(self, script, timeout=60):
        return self.run(script, timeout)[1].strip()


class Vm:
    def __init__(self, workdir, kernel, initrd, disk, width, height, arch="x86_64",
                 accel="tcg", mem=1024, cpus=2, append=""):
        self.workdir = workdir
        self.width, self.height = width, height
        self.qmp_path = os.path.join(workdir, "qmp.sock")
        self.qga_path = os.path.join(workdir, "qga.sock")
        self.serial_log = os.path.join(workdir, "serial.log")
        for p in (self.qmp_path, self.qga_path):
            if os.path.exists(p):
                os.unlink(p)
        if arch == "x86_64":
            console = "ttyS0"
            machine = ["-machine", "q35", "-cpu", "max" if accel == "tcg" else "host"]
        else:
            console = "ttyAMA0"
            machine = ["-machine", "virt", "-cpu", "cortex-a57"]
        cmdline = ("root=/dev/vda rw console=%s,115200 consoleblank=0 quiet loglevel=3 "
                   "systemd.show_status=false rd.udev.log_level=3 %s" % (console, append))
        self.argv = ["qemu-system-" + arch, "-accel", accel, *machine,
                     "-m", str(mem), "-smp", str(cpus),
                     "-nodefaults", "-no-user-config", "-display", "none",
                     "-kernel", kernel, "-initrd", initrd, "-append", cmdline,
                     "-drive", "file=%s,if=virtio,format=raw,cache=unsafe" % disk,
                     "-device", "virtio-gpu-pci,xres=%d,yres=%d" % (width, height),
                     "-device", "qemu-xhci", "-device", "usb-tablet",
                     "-device", "virtio-serial-pci",
                     "-chardev", "socket,id=qga,path=%s,server=on,wait=off" % self.qga_path,
                     "-device", "virtserialport,chardev=qga,name=org.qemu.guest_agent.0",
                     "-serial", "file:" + self.serial_log,
                     "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path]
        self.proc = None
        self.qmp = None
        self.ga = GuestAgent(self.qga_path)
        self.started = None

    def start(self):
        self.started = time.monotonic()
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                     stdout=open(os.path.join(self.workdir, "qemu.log"), "w"),
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not os.path.exists(self.qmp_path):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise ProtocolError("qemu did not start: see %s/qemu.log" % self.workdir)
            time.sleep(0.05)
        self.qmp = Qmp(self.qmp_path)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.qmp:
            try:
                self.qmp.execute("quit", timeout=5)
            except Exception:
                pass
            self.qmp.close()
        if self.proc:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # ---- screen ------------------------------------------------------------

    def screendump(self, path_ppm):
        if os.path.exists(path_ppm):
            os.unlink(path_ppm)
        self.qmp.execute("screendump", {"filename": path_ppm})

    # ---- touch ----------------------------------------------------------------
    # The usb-tablet hands the guest QMP's absolute values (0..32767) as they
    # are. Linux reports it as a mouse with absolute axes (ID_INPUT_MOUSE),
    # and SDL 2.26's evdev code takes such a device's ABS_X/ABS_Y values as
    # pixels, without scaling them by the axis range (it scales only
    # touchscreens). So "pixels" sends pixels; "scaled" is for an SDL that
    # scales (x * 32768 / width).

    abs_mode = "pixels"

    def _abs(self, x, y):
        if self.abs_mode == "pixels":
            ax, ay = x, y
        else:
            ax = int((x + 0.5) * 32768 / self.width)
            ay = int((y + 0.5) * 32768 / self.height)
        ax, ay = min(32767, max(0, ax)), min(32767, max(0, ay))
        return [{"type": "abs", "data": {"axis": "x", "value": ax}},
                {"type": "abs", "data": {"axis": "y", "value": ay}}]

    def touch(self, x, y, down):
        self.qmp.execute("input-send-event", {"events": self._abs(x, y) + [
            {"type": "btn", "data": {"down": down, "button": "left"}}]})

    def move(self, x, y):
        """Puts the pointer at (x, y). The kernel reports an axis only when
        its value changes; SDL does not read the starting position, so a
        kiosk that (re)started believes an axis it has not been told about
        yet is at 0; and qemu merges moves the guest has not fetched yet. So:
        first a point off on both axes, time for the guest to fetch it, then
        (x, y), so that both axes change in the report that counts."""
        self.qmp.execute("input-send-event", {"events": self._abs(x + (3 if x < 3 else -3),
                                                                  y + (3 if y < 3 else -3))})
        time.sleep(0.15)
        self.qmp.execute("input-send-event", {"events": self._abs(x, y)})
        time.sleep(0.15)

    def tap(self, x, y, hold=0.08):
        self.move(x, y)
        self.touch(x, y, True)
        time.sleep(hold)
        self.touch(x, y, False)
