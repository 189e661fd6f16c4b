//! Taking connections in within the host's means, so that nobody who merely reaches the port can
//! lock the room. Every connection must send a whole request head within [`HEADER_TIMEOUT`]
//! (slow or silent clients are closed; an idle kept-alive connection as well). Connections that
//! have not yet sent a request wait in a bounded queue: when it is full, or the host is at the
//! open-file budget, the one that has waited longest is closed to make room, so a flood of silent
//! connections pushes out only itself while a browser, which sends its request at once, gets in.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// Longest a client may take to send a request's head, and longest a kept-alive connection may
/// sit idle.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections that have not sent a request yet, at most.
const MAX_WAITING: usize = 128;

/// Open files kept for the host's own use (saves, the journal, the runtime).
const RESERVED_FILES: u64 = 64;

/// How many connections the host may hold open: what the open-file limit allows, after raising
/// the soft limit as far as the hard one allows, less the live connections' own budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Means {
    /// HTTP connections (not yet upgraded to live ones) admitted at once.
    pub max_open: usize,
    /// The open-file limit in force.
    pub file_limit: u64,
    /// The limit the host asked for: enough for every connection it budgets for.
    pub file_limit_wanted: u64,
}

/// Most HTTP connections the host ever holds, whatever the system allows.
const MAX_OPEN: u64 = 4096;

/// Raises the soft open-file limit towards the hard one and says how many connections that
/// allows.
pub fn means() -> Means {
    let sockets = super::budget::MAX_SOCKETS as u64;
    let file_limit_wanted = MAX_OPEN + sockets + RESERVED_FILES;
    let file_limit = raise_file_limit(file_limit_wanted);
    let max_open = file_limit
        .saturating_sub(RESERVED_FILES + sockets)
        .clamp(16, MAX_OPEN);
    Means {
        max_open: usize::try_from(max_open).unwrap_or(usize::MAX),
        file_limit,
        file_limit_wanted,
    }
}

#[cfg(unix)]
fn raise_file_limit(wanted: u64) -> u64 {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let soft = limit.current.unwrap_or(u64::MAX);
    if soft >= wanted {
        return soft;
    }
    let target = limit.maximum.map_or(wanted, |hard| hard.min(wanted));
    let raised = rustix::process::Rlimit {
        current: Some(target),
        maximum: limit.maximum,
    };
    match setrlimit(Resource::Nofile, raised) {
        Ok(()) => target,
        Err(_) => soft,
    }
}

#[cfg(not(unix))]
fn raise_file_limit(wanted: u64) -> u64 {
    wanted
}

/// The connections not yet past their first request, oldest first, each with the bell that
/// closes it.
#[derive(Default)]
struct Waiting(Mutex<VecDeque<(u64, Arc<Notify>)>>);

impl Waiting {
    fn push(&self, id: u64, close: Arc<Notify>) {
        self.lock().push_back((id, close));
    }

    fn remove(&self, id: u64) {
        self.lock().retain(|(other, _)| *other != id);
    }

    fn len(&self) -> usize {
        self.lock().len()
    }

    /// Closes the connection that has waited longest; `false` if none waits.
    fn close_oldest(&self) -> bool {
        let oldest = self.lock().pop_front();
        oldest.is_some_and(|(_, close)| {
            close.notify_one();
            true
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(u64, Arc<Notify>)>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Counts an open connection until it ends.
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves `router` on `listener` until `stop` fires. Each request carries its client's address
/// ([`ConnectInfo`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    means: Means,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    let waiting = Arc::new(Waiting::default());
    let ids = AtomicU64::new(0);
    loop {
        let accepted = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, peer)) = accepted else {
            // Out of files, or a connection reset before it was taken: shed the longest waiting
            // connection and try again shortly.
            waiting.close_oldest();
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        if open.load(Ordering::SeqCst) >= means.max_open && !waiting.close_oldest() {
            drop(stream);
            continue;
        }
        if waiting.len() >= MAX_WAITING {
            waiting.close_oldest();
        }
        let _ = stream.set_nodelay(true);
        open.fetch_add(1, Ordering::SeqCst);
        let slot = Open(Arc::clone(&open));
        let id = ids.fetch_add(1, Ordering::Relaxed);
        let close = Arc::new(Notify::new());
        waiting.push(id, Arc::clone(&close));
        tokio::spawn(connection(
            stream,
            peer,
            router.clone(),
            Arc::clone(&waiting),
            (id, close),
            slot,
        ));
    }
}

async fn connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    router: Router,
    waiting: Arc<Waiting>,
    (id, close): (u64, Arc<Notify>),
    _slot: Open,
) {
    let inner = TowerToHyperService::new(router);
    let asked = AtomicBool::new(false);
    let queue = Arc::clone(&waiting);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        if !asked.swap(true, Ordering::Relaxed) {
            queue.remove(id);
        }
        request.extensions_mut().insert(ConnectInfo(peer));
        inner.call(request)
    });
    let served = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::select! {
        _ = served => {}
        () = close.notified() => {}
    }
    waiting.remove(id);
}
