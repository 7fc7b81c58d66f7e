// Loaded with `node --import` by the kill-point harness (test/kill-points.test.ts). Every call that changes the file
// system under $VCSE_KILL_ROOT (write, sync, rename, open for writing, create, remove, link) is a kill point; points
// are counted across the whole process tree of one command by appending a byte to $VCSE_KILL_COUNTER per point.
// With $VCSE_KILL_AT = N, the process reaching point N SIGKILLs the command's first process and itself, before the
// call is made. With $VCSE_KILL_LOG, each point is logged as "N<TAB>call<TAB>path" (the counting run).
import fs from "node:fs";
import {syncBuiltinESMExports} from "node:module";
import {resolve} from "node:path";

const root = process.env.VCSE_KILL_ROOT;
const counter = process.env.VCSE_KILL_COUNTER;
if (root && counter) install(resolve(root), counter, Number(process.env.VCSE_KILL_AT ?? 0), process.env.VCSE_KILL_LOG);

function install(root, counterPath, killAt, logPath) {
  const original = {openSync: fs.openSync, writeSync: fs.writeSync, fstatSync: fs.fstatSync, appendFileSync: fs.appendFileSync};
  const counterFd = original.openSync(counterPath, "a");
  process.env.VCSE_KILL_TOP ??= String(process.pid);
  const top = Number(process.env.VCSE_KILL_TOP);
  /** Paths of the descriptors opened for writing under root. */
  const fds = new Map();
  const own = new Set([resolve(counterPath), logPath && resolve(logPath)]);
  /** Inside a call already counted: the calls it makes itself (writeFileSync opens and writes) are not points. */
  let depth = 0;
  const under = (p) => {
    if (depth > 0 || (typeof p !== "string" && !(p instanceof URL) && !Buffer.isBuffer(p))) return undefined;
    const abs = resolve(String(p instanceof URL ? p.pathname : p));
    return (abs === root || abs.startsWith(`${root}/`)) && !own.has(abs) ? abs : undefined;
  };
  const counted = (fn, self, args) => {
    depth++;
    try {
      return fn.apply(self, args);
    } finally {
      depth--;
    }
  };
  const point = (call, path) => {
    original.writeSync(counterFd, "x");
    const n = original.fstatSync(counterFd).size;
    if (logPath) original.appendFileSync(logPath, `${n}\t${call}\t${path.slice(root.length + 1)}\n`);
    if (n === killAt) {
      if (top !== process.pid) process.kill(top, "SIGKILL");
      process.kill(process.pid, "SIGKILL");
    }
  };
  const writes = (flags) => flags !== undefined && flags !== "r" && flags !== "rs" && flags !== "sr" && !(typeof flags === "number" && (flags & 3) === 0);
  // Calls whose first argument is a path, and those whose first argument is a descriptor.
  const byPath = ["writeFile", "appendFile", "rename", "mkdir", "rm", "rmdir", "unlink", "symlink", "link", "copyFile", "truncate", "cp", "utimes"];
  const byFd = ["write", "writev", "fsync", "fdatasync", "ftruncate"];
  const wrap = (target, name, kind, style) => {
    const fn = target[name];
    const call = name.replace(/Sync$/, "");
    if (typeof fn !== "function") return;
    target[name] = function (...args) {
      let path;
      if (depth > 0) return fn.apply(this, args);
      if (kind === "fd") path = fds.get(typeof args[0] === "object" && args[0] !== null ? args[0].fd : args[0]);
      // rename, symlink, link, copyFile: the second path may be the one under root.
      // symlink: the first argument is what the link says, the second is the file made.
      else if (call === "symlink") path = under(args[1]);
      else path = under(args[0]) ?? (["rename", "link", "copyFile", "cp"].includes(call) ? under(args[1]) : undefined);
      if (path) point(`${name}${style}`, path);
      return counted(fn, this, args);
    };
  };
  for (const name of byPath) {
    wrap(fs, `${name}Sync`, "path", "");
    wrap(fs, name, "path", " (callback)");
    wrap(fs.promises, name, "path", " (promise)");
  }
  for (const name of byFd) {
    wrap(fs, `${name}Sync`, "fd", "");
    wrap(fs, name, "fd", " (callback)");
  }
  // A closed descriptor's number is reused: it no longer names the file.
  for (const name of ["closeSync", "close"]) {
    const fn = fs[name];
    fs[name] = function (fd, ...rest) {
      fds.delete(fd);
      return fn.call(this, fd, ...rest);
    };
  }
  // Opening for writing is a point, and the descriptor is remembered so that its writes are points too.
  const openSync = fs.openSync;
  fs.openSync = function (path, flags, ...rest) {
    const abs = writes(flags) ? under(path) : undefined;
    if (abs) point("openSync", abs);
    const fd = counted(openSync, this, [path, flags, ...rest]);
    if (abs) fds.set(fd, abs);
    return fd;
  };
  const open = fs.open;
  fs.open = function (path, flags, ...rest) {
    const abs = typeof flags !== "function" && writes(flags) ? under(path) : undefined;
    if (abs) point("open", abs);
    const callback = rest.pop();
    return open.call(this, path, flags, ...rest, (err, fd) => {
      if (!err && abs) fds.set(fd, abs);
      callback(err, fd);
    });
  };
  const openPromise = fs.promises.open;
  fs.promises.open = async function (path, flags, ...rest) {
    const abs = writes(flags) ? under(path) : undefined;
    if (abs) point("open (promise)", abs);
    const handle = await openPromise.call(this, path, flags, ...rest);
    if (abs) {
      fds.set(handle.fd, abs);
      for (const name of ["write", "writev", "writeFile", "appendFile", "sync", "datasync", "truncate"]) {
        const fn = handle[name];
        handle[name] = function (...args) {
          point(`handle.${name}`, abs);
          return fn.apply(this, args);
        };
      }
    }
    return handle;
  };
  syncBuiltinESMExports();
}
