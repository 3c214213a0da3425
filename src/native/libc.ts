/**
 * libc through koffi: open, close, dup (as F_DUPFD_CLOEXEC), pipe, socket,
 * ioctl and errno — the only FFI in kvmsim. koffi is an optional dependency,
 * loaded on first use with a dynamic import, so importing this module never
 * throws and everything else in kvmsim runs without it.
 *
 * Every call returns what the kernel returned, in the model's convention: a
 * value >= 0, or -errno. That lets the live executor format results with the
 * same function as the model.
 */

/** Native memory that stays put (koffi.alloc): ioctl arguments point into it. */
export interface NativeMem {
  /** The user-space address of byte 0. */
  readonly address: bigint;
  u32(offset: number, value: number): void;
  i32(offset: number, value: number): void;
  u64(offset: number, value: bigint): void;
  readU32(offset: number): number;
}

/** The libc calls the native backend makes. */
export interface Libc {
  readonly koffiVersion: string;
  open(path: string, flags: number): number;
  close(fd: number): number;
  /** dup, except that the new fd has FD_CLOEXEC (so spawned children inherit only what they are given). */
  dupCloexec(fd: number): number;
  /** pipe2(O_CLOEXEC): [read end, write end], or -errno. */
  pipe(): [number, number] | number;
  /** socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0). */
  socket(): number;
  /** ioctl(fd, request, arg) with arg passed as an unsigned long (an integer or an address). */
  ioctl(fd: number, request: number, arg: bigint): number;
  /** A fresh block of stable native memory of `size` bytes. */
  alloc(size: number): NativeMem;
}

/** open(2) O_RDWR (asm-generic value, as on x86_64). */
export const O_RDWR = 0o2;
/** open(2) O_CLOEXEC: every fd the live executor opens has it, so no spawned process inherits it unasked. */
export const O_CLOEXEC = 0o2000000;
const F_DUPFD_CLOEXEC = 1030;
const AF_UNIX = 1;
const SOCK_STREAM = 1;
const SOCK_CLOEXEC = O_CLOEXEC;

/** Why libc could not be loaded, when it could not. */
export interface LibcFailure {
  readonly error: string;
}

// The subset of koffi's API used here (koffi's own typings are not needed at
// compile time, so the build works where the optional dependency is absent).
interface KoffiFn {
  (...args: unknown[]): number;
}
interface Koffi {
  version: string;
  load(path: null): { func(decl: string): KoffiFn };
  errno(): number;
  alloc(type: string, length: number): unknown;
  address(ptr: unknown): bigint;
  encode(ptr: unknown, offset: number, type: string, value: unknown): void;
  decode(ptr: unknown, offset: number, type: string): unknown;
}

let loaded: Promise<Libc | LibcFailure> | null = null;

/** Loads libc through koffi once per thread; later calls share the result. */
export function loadLibc(): Promise<Libc | LibcFailure> {
  loaded ??= (async (): Promise<Libc | LibcFailure> => {
    try {
      // A variable specifier keeps TypeScript from resolving the optional module at build time.
      const name = 'koffi';
      const mod = (await import(name)) as { default?: Koffi } & Koffi;
      return bind(mod.default ?? mod);
    } catch (e) {
      return { error: (e as Error).message.split('\n')[0] ?? String(e) };
    }
  })();
  return loaded;
}

/** Whether a loadLibc result is a failure. */
export function isLibcFailure(x: Libc | LibcFailure): x is LibcFailure {
  return 'error' in x;
}

function bind(koffi: Koffi): Libc {
  const lib = koffi.load(null);
  const open = lib.func('int open(const char *path, int flags, ...)');
  const close = lib.func('int close(int fd)');
  // fcntl and ioctl are variadic in libc: declare them so, and pass typed varargs.
  const fcntl = lib.func('int fcntl(int fd, int cmd, ...)');
  const ioctl = lib.func('int ioctl(int fd, unsigned long request, ...)');
  const pipe2 = lib.func('int pipe2(_Out_ int *fds, int flags)');
  const socket = lib.func('int socket(int domain, int type, int protocol)');
  // Read errno right after the call, on the same thread, before anything else can change it.
  const res = (r: number): number => (r < 0 ? -koffi.errno() : r);
  return {
    koffiVersion: koffi.version,
    open: (path, flags) => res(open(path, flags, 'int', 0)),
    close: (fd) => res(close(fd)),
    dupCloexec: (fd) => res(fcntl(fd, F_DUPFD_CLOEXEC, 'int', 0)),
    pipe: () => {
      const fds = [0, 0];
      const r = res(pipe2(fds, O_CLOEXEC));
      return r < 0 ? r : [fds[0] ?? -1, fds[1] ?? -1];
    },
    socket: () => res(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)),
    ioctl: (fd, request, arg) => res(ioctl(fd, request, 'unsigned long', arg)),
    alloc: (size) => {
      const ptr = koffi.alloc('uint8_t', size);
      return {
        address: koffi.address(ptr),
        u32: (off, v) => koffi.encode(ptr, off, 'uint32_t', v >>> 0),
        i32: (off, v) => koffi.encode(ptr, off, 'int32_t', v | 0),
        u64: (off, v) => koffi.encode(ptr, off, 'uint64_t', BigInt.asUintN(64, v)),
        readU32: (off) => koffi.decode(ptr, off, 'uint32_t') as number,
      };
    },
  };
}
