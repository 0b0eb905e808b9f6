/* wasix_socket.h — BSD sockets and epoll for guest programs built with
 * Debian's clang-19 and wasi-libc, over the wasix_32v1 socket imports
 * (../../shared/wasix-abi.md §2.4). wasi-libc brings recv/send/shutdown
 * and the sockaddr types; this adds socket, socketpair, bind, listen,
 * connect, accept, accept4, getsockname, getpeername, sendto, recvfrom,
 * setsockopt, getsockopt, sendfile and epoll_create1/ctl/wait with their
 * POSIX/Linux signatures, so one C source builds natively and for wasm:
 *
 *   #ifdef __wasi__
 *   #include <wasix_socket.h>
 *   #else
 *   #include <sys/epoll.h>
 *   #endif
 *
 * wasi-libc's own accept(), getsockopt(), recv() and send() cover only a
 * corner (no address; SO_TYPE; no MSG_DONTWAIT), so this header renames
 * them to this library's. WASIX has no MSG_NOSIGNAL: ignore SIGPIPE.
 * Errors set errno (wasi-libc's errno values are WASI's). */
#ifndef WASIXC_GUEST_WASIX_SOCKET_H
#define WASIXC_GUEST_WASIX_SOCKET_H

/* wasi-libc's sockaddr_un has no sun_path (WASI preview1 has no Unix
 * sockets): Linux's layout instead. Include this header before any
 * system header that pulls in <sys/un.h>. */
#ifndef __wasilibc___struct_sockaddr_un_h
#define __wasilibc___struct_sockaddr_un_h
#include <__typedef_sa_family_t.h>
struct sockaddr_un {
  sa_family_t sun_family;
  char sun_path[108];
};
#else
#error "include <wasix_socket.h> before <sys/un.h> / <sys/socket.h>"
#endif

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "wasix.h"

#ifdef __cplusplus
extern "C" {
#endif

/* addr_port (110 bytes): tag, then the address (wasix-abi.md §4.4). */
typedef struct {
  uint8_t tag; /* 0 UNSPEC, 1 INET4, 2 INET6, 3 UNIX */
  uint8_t pad;
  uint8_t bytes[108];
} wasix_addr_port_t;

wasix_errno_t __wasix_sock_open(uint32_t af, uint32_t type, uint32_t proto, uint32_t* fd) WASIX_IMPORT(sock_open);
wasix_errno_t __wasix_sock_pair(uint32_t af, uint32_t type, uint32_t proto, uint32_t* fd0, uint32_t* fd1)
    WASIX_IMPORT(sock_pair);
wasix_errno_t __wasix_sock_bind(uint32_t fd, const wasix_addr_port_t* addr) WASIX_IMPORT(sock_bind);
wasix_errno_t __wasix_sock_connect(uint32_t fd, const wasix_addr_port_t* addr) WASIX_IMPORT(sock_connect);
wasix_errno_t __wasix_sock_listen(uint32_t fd, uint32_t backlog) WASIX_IMPORT(sock_listen);
wasix_errno_t __wasix_sock_accept_v2(uint32_t fd, uint32_t fdflags, uint32_t* out, wasix_addr_port_t* addr)
    WASIX_IMPORT(sock_accept_v2);
wasix_errno_t __wasix_sock_addr_local(uint32_t fd, wasix_addr_port_t* addr) WASIX_IMPORT(sock_addr_local);
wasix_errno_t __wasix_sock_addr_peer(uint32_t fd, wasix_addr_port_t* addr) WASIX_IMPORT(sock_addr_peer);
wasix_errno_t __wasix_sock_recv_from(uint32_t fd, const void* iovs, uint32_t n, uint32_t riflags, uint32_t* nread,
                                     uint16_t* roflags, wasix_addr_port_t* addr) WASIX_IMPORT(sock_recv_from);
wasix_errno_t __wasix_sock_send_to(uint32_t fd, const void* iovs, uint32_t n, uint32_t siflags,
                                   const wasix_addr_port_t* addr, uint32_t* nsent) WASIX_IMPORT(sock_send_to);
wasix_errno_t __wasix_sock_send_file(uint32_t out_fd, uint32_t in_fd, uint64_t offset, uint64_t count,
                                     uint64_t* sent) WASIX_IMPORT(sock_send_file);
wasix_errno_t __wasix_sock_set_opt_flag(uint32_t fd, uint32_t opt, uint32_t flag) WASIX_IMPORT(sock_set_opt_flag);
wasix_errno_t __wasix_sock_get_opt_flag(uint32_t fd, uint32_t opt, uint8_t* flag) WASIX_IMPORT(sock_get_opt_flag);
wasix_errno_t __wasix_sock_set_opt_size(uint32_t fd, uint32_t opt, uint64_t size) WASIX_IMPORT(sock_set_opt_size);
wasix_errno_t __wasix_sock_get_opt_size(uint32_t fd, uint32_t opt, uint64_t* size) WASIX_IMPORT(sock_get_opt_size);
wasix_errno_t __wasix_sock_set_opt_time(uint32_t fd, uint32_t opt, const wasix_option_timestamp_t* t)
    WASIX_IMPORT(sock_set_opt_time);
wasix_errno_t __wasix_sock_get_opt_time(uint32_t fd, uint32_t opt, wasix_option_timestamp_t* t)
    WASIX_IMPORT(sock_get_opt_time);
/* resolve: up to `max` addr_ip (18 bytes: tag u8, then 4 or 16 bytes). */
wasix_errno_t __wasix_resolve(const char* host, uint32_t host_len, uint32_t port, void* addrs, uint32_t max,
                              uint32_t* count) WASIX_IMPORT(resolve);

/* epoll_event as WASIX lays it out (32 bytes). */
typedef struct {
  uint32_t events;
  uint32_t pad;
  uint32_t data_ptr;
  uint32_t data_fd;
  uint32_t data1;
  uint32_t pad2;
  uint64_t data2;
} wasix_epoll_event_t;
wasix_errno_t __wasix_epoll_create(uint32_t* fd) WASIX_IMPORT(epoll_create);
wasix_errno_t __wasix_epoll_ctl(uint32_t epfd, uint32_t op, uint32_t fd, const wasix_epoll_event_t* event)
    WASIX_IMPORT(epoll_ctl);
wasix_errno_t __wasix_epoll_wait(uint32_t epfd, wasix_epoll_event_t* events, uint32_t max, uint64_t timeout_ns,
                                 uint32_t* n) WASIX_IMPORT(epoll_wait);

/* Linux's values for what wasi-libc leaves out (SO_TYPE is wasi-libc's own). */
#ifndef SOCK_RAW
#define SOCK_RAW 3
#endif
#ifndef SO_REUSEADDR
#define SO_REUSEADDR 2
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL 38
#endif
#ifndef SO_RCVTIMEO
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21
#endif

/* POSIX over them. */
#define accept wasix_accept
#define accept4 wasix_accept4
#define getsockopt wasix_getsockopt
#define recv wasix_recv
#define send wasix_send
#ifndef TCP_NODELAY
#define TCP_NODELAY 1
#endif
#ifndef IPPROTO_IPV6
#define IPPROTO_IPV6 41
#endif
#ifndef IPV6_V6ONLY
#define IPV6_V6ONLY 26
#endif
#ifndef MSG_DONTWAIT
#define MSG_DONTWAIT 0x40
#endif
int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int fds[2]);
int bind(int fd, const struct sockaddr* addr, socklen_t len);
int connect(int fd, const struct sockaddr* addr, socklen_t len);
int listen(int fd, int backlog);
int wasix_accept(int fd, struct sockaddr* addr, socklen_t* len);
int wasix_accept4(int fd, struct sockaddr* addr, socklen_t* len, int flags);
int getsockname(int fd, struct sockaddr* addr, socklen_t* len);
int getpeername(int fd, struct sockaddr* addr, socklen_t* len);
/* recv/send with MSG_DONTWAIT as well (wasi-libc's take only PEEK/WAITALL). */
ssize_t wasix_recv(int fd, void* buf, size_t len, int flags);
ssize_t wasix_send(int fd, const void* buf, size_t len, int flags);
ssize_t sendto(int fd, const void* buf, size_t len, int flags, const struct sockaddr* addr, socklen_t alen);
ssize_t recvfrom(int fd, void* buf, size_t len, int flags, struct sockaddr* addr, socklen_t* alen);
int setsockopt(int fd, int level, int name, const void* value, socklen_t len);
int wasix_getsockopt(int fd, int level, int name, void* value, socklen_t* len);
ssize_t sendfile(int out_fd, int in_fd, off_t* offset, size_t count);

/* epoll with Linux's bit values (translated to WASIX's). */
#define EPOLLIN 0x001
#define EPOLLPRI 0x002
#define EPOLLOUT 0x004
#define EPOLLERR 0x008
#define EPOLLHUP 0x010
#define EPOLLRDHUP 0x2000
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLL_CLOEXEC 0x2000
typedef union epoll_data {
  void* ptr;
  int fd;
  uint32_t u32;
  uint64_t u64;
} epoll_data_t;
struct epoll_event {
  uint32_t events;
  epoll_data_t data;
};
int epoll_create(int size);
int epoll_create1(int flags);
int epoll_ctl(int epfd, int op, int fd, struct epoll_event* event);
int epoll_wait(int epfd, struct epoll_event* events, int max, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* WASIXC_GUEST_WASIX_SOCKET_H */
