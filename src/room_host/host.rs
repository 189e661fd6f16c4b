//! The running host: its threads, its listener and its addresses.

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use super::routes;
use super::state::{Hosted, Refusal, Shared};

/// The threads rooms are served on: one pool however many rooms (`serve --teams 12` runs twelve
/// rooms on two worker threads). It stops when the last room using it does.
pub struct HostRuntime(Option<tokio::runtime::Runtime>);

impl HostRuntime {
    /// Two worker threads for the rooms started on it.
    pub fn new() -> io::Result<Arc<Self>> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("warroom-room")
            .enable_all()
            .build()?;
        Ok(Arc::new(Self(Some(runtime))))
    }

    fn handle(&self) -> Option<&tokio::runtime::Runtime> {
        self.0.as_ref()
    }
}

impl Drop for HostRuntime {
    fn drop(&mut self) {
        // Open pages lose their connections; they reconnect when a host comes back.
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_timeout(Duration::from_secs(2));
        }
    }
}

/// A running host.
pub struct RoomHost {
    runtime: Option<Arc<HostRuntime>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    site: Arc<super::site::Site>,
    addr: SocketAddr,
    means: super::listener::Means,
}

impl RoomHost {
    /// Starts serving `hosted` on `bind:port` (`port` 0 picks a free one). Gives the record a
    /// room under fresh codes when it has none, and saves it before anyone can join.
    pub fn start(hosted: Hosted, bind: IpAddr, port: u16) -> io::Result<Self> {
        Self::start_on(&HostRuntime::new()?, hosted, bind, port)
    }

    /// [`Self::start`] on threads shared with other rooms.
    pub fn start_on(
        runtime: &Arc<HostRuntime>,
        mut hosted: Hosted,
        bind: IpAddr,
        port: u16,
    ) -> io::Result<Self> {
        let Some(threads) = runtime.handle() else {
            return Err(io::Error::other("the rooms' threads have stopped"));
        };
        hosted.record.updated_at = crate::store::unix_now();
        let shared = Arc::new(Shared::new(hosted)?);
        let means = super::listener::means();
        let listener = TcpListener::bind((bind, port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let site = Arc::new(super::site::Site::new(
            shared,
            format!("http://{}", public_addr(addr)),
        ));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = routes::router(Arc::clone(&site));
        let listener = {
            let _entered = threads.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        threads.spawn(super::listener::serve(listener, app, means, stopped));
        Ok(Self {
            runtime: Some(Arc::clone(runtime)),
            stop: Some(stop),
            site,
            addr,
            means,
        })
    }

    /// When the system's open-file limit is too low for every connection the room budgets
    /// for: what it allows, in words for the person starting the room.
    pub fn file_limit_warning(&self) -> Option<String> {
        (self.means.file_limit < self.means.file_limit_wanted).then(|| {
            format!(
                "the system lets Warroom open only {} files (it asked for {}), so the room \
                 takes at most {} connections at once besides live pages; a large room needs \
                 a higher limit (`ulimit -n {}`)",
                self.means.file_limit,
                self.means.file_limit_wanted,
                self.means.max_open,
                self.means.file_limit_wanted
            )
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The join page's address.
    pub fn join_url(&self) -> String {
        self.site.join_url()
    }

    /// The projector's address.
    pub fn projector_url(&self) -> String {
        self.site.projector_url()
    }

    /// The console's address.
    pub fn console_url(&self) -> String {
        self.site.console_url()
    }

    /// The hosted exercise.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.site.shared
    }

    /// Applies the facilitator's intent and lets the host's threads wait for the disk: the caller
    /// (the app, on its frame) has the engine's word at once, and any trouble saving through
    /// [`super::state::Shared::save_problem`].
    pub fn submit_unwaited(
        &self,
        intent: crate::engine::model::intent::Intent,
    ) -> Result<(), Refusal> {
        let queued = self
            .site
            .shared
            .submit_queued(&super::state::Caller::Facilitator, intent)?;
        self.settle_in_background(queued);
        Ok(())
    }

    /// Changes the record as the facilitator, without waiting for the disk (see
    /// [`Self::submit_unwaited`]).
    pub fn edit_unwaited(&self, edit: crate::hosting::RecordEdit<'_>) -> Result<(), Refusal> {
        let queued = self.site.shared.edit_record_queued(edit)?;
        self.settle_in_background(queued);
        Ok(())
    }

    /// The threads it runs on, until it stops.
    fn threads(&self) -> Option<&tokio::runtime::Runtime> {
        self.runtime.as_deref().and_then(HostRuntime::handle)
    }

    fn settle_in_background(&self, queued: super::state::Queued) {
        let shared = Arc::clone(&self.site.shared);
        match self.threads() {
            Some(threads) => {
                threads.spawn_blocking(move || shared.settle_unwaited(queued));
            }
            None => shared.settle_unwaited(queued),
        }
    }

    /// Calls `wake` after every change, from a task of the host's runtime.
    pub fn on_change(&self, wake: Box<dyn Fn() + Send + Sync>) {
        let mut changes = self.site.shared.subscribe();
        if let Some(threads) = self.threads() {
            threads.spawn(async move {
                while changes.changed().await.is_ok() {
                    wake();
                }
            });
        }
    }

    /// Every team's exercise, for the overview on this room's console (`serve --teams`).
    pub fn set_teams(&self, teams: Vec<super::teams::TeamEntry>) {
        self.site.set_teams(teams);
    }

    /// Devices connected to a seat now.
    pub fn connected(&self, seat: &str) -> usize {
        self.site.connected(seat)
    }

    /// Stops serving. Every accepted change is already on disk; open pages lose their
    /// connection and reconnect when the host comes back.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // The last room on the threads stops them, and with them its pages' connections; a room
        // sharing them with others stops taking connections, and what its pages still send is
        // refused once its saving has finished.
        if let Some(runtime) = self.runtime.take() {
            drop(runtime);
            if let Err(e) = self.site.shared.finish_saving() {
                report_failure(
                    "could not fold the exercise's journal into its save (it is read back with it)",
                    &e,
                );
            }
        }
    }
}

impl Drop for RoomHost {
    fn drop(&mut self) {
        self.shut_down();
    }
}

#[expect(
    clippy::print_stderr,
    reason = "the server task has no caller to return to"
)]
fn report_failure(what: &str, e: &io::Error) {
    eprintln!("warroom: {what}: {e}");
}

/// The address to give people: the one bound, or, when bound to every interface, this machine's
/// address on the network it routes through.
fn public_addr(bound: SocketAddr) -> SocketAddr {
    if !bound.ip().is_unspecified() {
        return bound;
    }
    // Connecting a UDP socket sends nothing; it only makes the system choose a source address.
    let probe = if bound.is_ipv4() {
        "192.0.2.1:9"
    } else {
        "[2001:db8::1]:9"
    };
    let local = std::net::UdpSocket::bind(SocketAddr::new(bound.ip(), 0))
        .and_then(|s| s.connect(probe).and_then(|()| s.local_addr()));
    match local {
        Ok(local) => SocketAddr::new(local.ip(), bound.port()),
        Err(_) => bound,
    }
}
