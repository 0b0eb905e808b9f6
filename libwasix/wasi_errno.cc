#include "wasi_errno.h"

#include <array>
#include <cerrno>

#include "kernel/path_resolver.h"

namespace wasixc {

namespace {
struct ErrnoPair {
  int host;
  Errno wasi;
  const char* name;
};

// Every Linux errno that has a WASI counterpart. EWOULDBLOCK == EAGAIN and
// ENOTSUP == EOPNOTSUPP on Linux, so each appears once.
constexpr ErrnoPair kErrnos[] = {
#define E(host, wasi) {host, Errno::wasi, #wasi}
    E(0, SUCCESS), E(E2BIG, TOOBIG), E(EACCES, ACCES),
    E(EADDRINUSE, ADDRINUSE), E(EADDRNOTAVAIL, ADDRNOTAVAIL),
    E(EAFNOSUPPORT, AFNOSUPPORT), E(EAGAIN, AGAIN), E(EALREADY, ALREADY),
    E(EBADF, BADF), E(EBADMSG, BADMSG), E(EBUSY, BUSY),
    E(ECANCELED, CANCELED), E(ECHILD, CHILD), E(ECONNABORTED, CONNABORTED),
    E(ECONNREFUSED, CONNREFUSED), E(ECONNRESET, CONNRESET),
    E(EDEADLK, DEADLK), E(EDESTADDRREQ, DESTADDRREQ), E(EDOM, DOM),
    E(EDQUOT, DQUOT), E(EEXIST, EXIST), E(EFAULT, FAULT), E(EFBIG, FBIG),
    E(EHOSTUNREACH, HOSTUNREACH), E(EIDRM, IDRM), E(EILSEQ, ILSEQ),
    E(EINPROGRESS, INPROGRESS), E(EINTR, INTR), E(EINVAL, INVAL),
    E(EIO, IO), E(EISCONN, ISCONN), E(EISDIR, ISDIR), E(ELOOP, LOOP),
    E(EMFILE, MFILE), E(EMLINK, MLINK), E(EMSGSIZE, MSGSIZE),
    E(EMULTIHOP, MULTIHOP), E(ENAMETOOLONG, NAMETOOLONG),
    E(ENETDOWN, NETDOWN), E(ENETRESET, NETRESET),
    E(ENETUNREACH, NETUNREACH), E(ENFILE, NFILE), E(ENOBUFS, NOBUFS),
    E(ENODEV, NODEV), E(ENOENT, NOENT), E(ENOEXEC, NOEXEC),
    E(ENOLCK, NOLCK), E(ENOLINK, NOLINK), E(ENOMEM, NOMEM),
    E(ENOMSG, NOMSG), E(ENOPROTOOPT, NOPROTOOPT), E(ENOSPC, NOSPC),
    E(ENOSYS, NOSYS), E(ENOTCONN, NOTCONN), E(ENOTDIR, NOTDIR),
    E(ENOTEMPTY, NOTEMPTY), E(ENOTRECOVERABLE, NOTRECOVERABLE),
    E(ENOTSOCK, NOTSOCK), E(ENOTSUP, NOTSUP), E(ENOTTY, NOTTY),
    E(ENXIO, NXIO), E(EOVERFLOW, OVERFLOW), E(EOWNERDEAD, OWNERDEAD),
    E(EPERM, PERM), E(EPIPE, PIPE), E(EPROTO, PROTO),
    E(EPROTONOSUPPORT, PROTONOSUPPORT), E(EPROTOTYPE, PROTOTYPE),
    E(ERANGE, RANGE), E(EROFS, ROFS), E(ESPIPE, SPIPE), E(ESRCH, SRCH),
    E(ESTALE, STALE), E(ETIMEDOUT, TIMEDOUT), E(ETXTBSY, TXTBSY),
    E(EXDEV, XDEV), E(ESHUTDOWN, SHUTDOWN),
#undef E
};
}  // namespace

Errno errno_from_host(int host_errno) {
  if (host_errno == kernel::kErrNotCapable) return Errno::NOTCAPABLE;  // the path resolver's
  // Indexed by the host errno (Linux's are below 256): every failing call
  // comes here, a stat of a missing file among the most frequent.
  static const std::array<Errno, 256> by_host = [] {
    std::array<Errno, 256> table;
    table.fill(Errno::UNKNOWN);
    for (const ErrnoPair& p : kErrnos)  // the first pair of a host value wins
      if (p.host >= 0 && p.host < 256 && table[p.host] == Errno::UNKNOWN) table[p.host] = p.wasi;
    return table;
  }();
  return host_errno >= 0 && host_errno < 256 ? by_host[host_errno] : Errno::UNKNOWN;
}

const char* errno_name(Errno e) {
  for (const ErrnoPair& p : kErrnos)
    if (p.wasi == e) return p.name;
  if (e == Errno::NOTCAPABLE) return "NOTCAPABLE";
  if (e == Errno::MEMVIOLATION) return "MEMVIOLATION";
  return "UNKNOWN";
}

}  // namespace wasixc
