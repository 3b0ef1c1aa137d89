/* A small single-threaded HTTP/1.1 server for leakgate's native modes: poll() over up to
 * MAX_CONNS keep-alive connections, "200 OK" to any GET. LEAK_BYTES > 0 loses a block per
 * request (leak_request_buffer); CACHE_BYTES > 0 keeps one per request in a list (cache_request). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 256
#define IN_SIZE 8192
#define OUT_SIZE 4096

struct conn {
  int fd;
  size_t in_len, out_len;
  int closing; /* close once the output is flushed */
  char in[IN_SIZE];
  char out[OUT_SIZE];
};

struct cache_node {
  struct cache_node *next;
  char data[];
};

static volatile sig_atomic_t stop_requested;
static void *volatile leak_sink;  /* keeps the compiler from dropping the leaked malloc */
static struct cache_node *cache_head;
static size_t leak_bytes, cache_bytes;

static void on_signal(int sig) { (void)sig; stop_requested = 1; }

/* Allocates a block, touches it, and loses the pointer: valgrind calls it "definitely lost". */
__attribute__((noinline)) static void leak_request_buffer(size_t n) {
  char *block = malloc(n);
  if (block == NULL) return;
  memset(block, 'L', n);
  leak_sink = block; /* overwritten by the next request: this block is then unreachable */
}

/* Keeps a block per request in a global list that is never trimmed: "still reachable", grows. */
__attribute__((noinline)) static void cache_request(size_t n) {
  struct cache_node *node = malloc(sizeof *node + n);
  if (node == NULL) return;
  memset(node->data, 'C', n);
  node->next = cache_head;
  cache_head = node;
}

static size_t env_size(const char *name, size_t fallback) {
  const char *text = getenv(name);
  if (text == NULL || *text == '\0') return fallback;
  char *end;
  unsigned long long value = strtoull(text, &end, 10);
  if (*end != '\0' || text[0] == '-') {
    fprintf(stderr, "%s must be a whole number, got '%s'\n", name, text);
    exit(2);
  }
  return (size_t)value;
}

/* Appends a response; a request that asks to close (or HTTP/1.0 without keep-alive) closes. */
static void respond(struct conn *c, int status, const char *reason, const char *body, int close_after) {
  int n = snprintf(c->out + c->out_len, OUT_SIZE - c->out_len,
                   "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n%s",
                   status, reason, strlen(body), close_after ? "Connection: close\r\n" : "", body);
  if (n > 0 && (size_t)n < OUT_SIZE - c->out_len) c->out_len += (size_t)n;
  if (close_after) c->closing = 1;
}

/* Answers every complete request head in the input buffer (pipelining included). */
static void handle_requests(struct conn *c) {
  while (!c->closing && c->out_len + 256 <= OUT_SIZE) {
    c->in[c->in_len] = '\0';
    char *end = strstr(c->in, "\r\n\r\n");
    if (end == NULL) {
      if (c->in_len >= IN_SIZE - 1) respond(c, 431, "Request Header Fields Too Large", "too large\n", 1);
      return;
    }
    size_t head_len = (size_t)(end - c->in) + 4;
    end[2] = '\0'; /* the head, with the last header's CRLF, as a string */
    char *line_end = strstr(c->in, "\r\n");
    int http10 = line_end != NULL && line_end - c->in >= 8 && strncmp(line_end - 8, "HTTP/1.0", 8) == 0;
    int close_after = strcasestr(c->in, "\r\nconnection: close\r\n") != NULL ||
                      (http10 && strcasestr(c->in, "\r\nconnection: keep-alive\r\n") == NULL);
    if (strncmp(c->in, "GET ", 4) == 0) {
      if (leak_bytes > 0) leak_request_buffer(leak_bytes);
      if (cache_bytes > 0) cache_request(cache_bytes);
      respond(c, 200, "OK", "ok\n", close_after);
    } else {
      respond(c, 405, "Method Not Allowed", "only GET\n", 1); /* bodies are not read: close */
    }
    memmove(c->in, c->in + head_len, c->in_len - head_len);
    c->in_len -= head_len;
  }
}

static void close_conn(struct conn **slot) {
  close((*slot)->fd);
  free(*slot);
  *slot = NULL;
}

/* Reads what is there, answers, writes what fits; returns 0 when the connection should go. */
static int serve(struct conn *c, short revents) {
  if ((revents & (POLLIN | POLLHUP | POLLERR)) && c->in_len < IN_SIZE - 1) {
    ssize_t n = recv(c->fd, c->in + c->in_len, IN_SIZE - 1 - c->in_len, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return 0;
    if (n > 0) c->in_len += (size_t)n;
    handle_requests(c);
  }
  if (c->out_len > 0) {
    ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) return 0;
    if (n > 0) {
      memmove(c->out, c->out + n, c->out_len - (size_t)n);
      c->out_len -= (size_t)n;
      handle_requests(c); /* requests held back while the output was full */
    }
  }
  return !(c->closing && c->out_len == 0);
}

static int listen_on(const char *host, int port) {
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
    fprintf(stderr, "HOST must be an IPv4 address, got '%s'\n", host);
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 128) < 0) {
    perror("listen");
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

int main(void) {
  size_t port = env_size("PORT", 3906);
  leak_bytes = env_size("LEAK_BYTES", 0);
  cache_bytes = env_size("CACHE_BYTES", 0);
  const char *host = getenv("HOST") ? getenv("HOST") : "127.0.0.1";
  if (port == 0 || port > 65535) {
    fprintf(stderr, "PORT must be 1-65535, got %zu\n", port);
    return 2;
  }
  /* SIGTERM/SIGINT stay blocked except inside ppoll, so a signal cannot slip in between
   * checking the flag and going to sleep. */
  sigset_t blocked, during_poll;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGINT);
  sigprocmask(SIG_BLOCK, &blocked, &during_poll);
  struct sigaction sa = {.sa_handler = on_signal};
  /* IGNORE_SIGTERM=1 plays an app that does not exit on SIGTERM: it is SIGKILLed, and a native tool's final
   * report is lost (leakgate's gate then fails on the incomplete report). */
  struct sigaction ignore = {.sa_handler = SIG_IGN};
  sigaction(SIGTERM, env_size("IGNORE_SIGTERM", 0) ? &ignore : &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  int listen_fd = listen_on(host, (int)port);
  if (listen_fd < 0) return 1;
  printf("listening on %zu\n", port);
  fflush(stdout);

  static struct conn *conns[MAX_CONNS];
  static struct pollfd fds[MAX_CONNS + 1];
  while (!stop_requested) {
    int live = 0;
    fds[0] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
    for (int i = 0; i < MAX_CONNS; i++) {
      struct conn *c = conns[i];
      fds[i + 1] = (struct pollfd){.fd = -1};
      if (c == NULL) continue;
      live++;
      fds[i + 1].fd = c->fd; /* read while there is room, write while there is output */
      fds[i + 1].events = (short)((c->in_len < IN_SIZE - 1 && !c->closing ? POLLIN : 0) | (c->out_len ? POLLOUT : 0));
    }
    if (live == MAX_CONNS) fds[0].fd = -1; /* full: leave new connections in the backlog */
    if (ppoll(fds, MAX_CONNS + 1, NULL, &during_poll) < 0) {
      if (errno == EINTR) continue;
      perror("ppoll");
      break;
    }
    for (int i = 0; i < MAX_CONNS; i++) {
      if (conns[i] != NULL && fds[i + 1].revents != 0 && !serve(conns[i], fds[i + 1].revents)) close_conn(&conns[i]);
    }
    if (fds[0].revents & POLLIN) {
      for (int i = 0; i < MAX_CONNS; i++) {
        if (conns[i] != NULL) continue;
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;
        conns[i] = calloc(1, sizeof **conns);
        if (conns[i] == NULL) { close(fd); break; }
        conns[i]->fd = fd;
      }
    }
  }
  /* Clean shutdown: connections are freed; the cache stays (still reachable, on purpose) and the
   * last leaked block is dropped so that every leaked block reads as definitely lost. */
  for (int i = 0; i < MAX_CONNS; i++)
    if (conns[i] != NULL) close_conn(&conns[i]);
  close(listen_fd);
  leak_sink = NULL;
  fprintf(stderr, "stopped\n");
  return 0;
}
