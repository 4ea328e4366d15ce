//! The customer-service desk: the services registered through the Server API (kept in the
//! store, cached here) and the open sessions between a customer and a service (in memory only:
//! a restart ends them, as a lost connection would on RongCloud's side).
//!
//! A session starts with the customer's handshake (`RC:CsHs`), is served by the robot until the
//! customer asks for a human (`RC:CSCha`) and one of the service's agents is assigned (the one
//! with the fewest open sessions, online agents first), and ends with `RC:CsSp` or a new
//! handshake. The protocol side is [`crate::session`]'s; this module only decides.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::store::services::CustomerService;

/// Open sessions on the server; a handshake beyond is refused (33004).
pub const MAX_SESSIONS: usize = 10_000;

/// CustomerType (api.md §7): who serves a new session.
pub mod mode {
    /// The robot only.
    pub const ONLY_ROBOT: i32 = 1;
    /// Humans only.
    pub const ONLY_HUMAN: i32 = 2;
    /// The robot, then a human on request.
    pub const ROBOT_FIRST: i32 = 3;
    /// A human at once (the client asks for one after the handshake).
    pub const HUMAN_FIRST: i32 = 4;
}

/// One customer's session with one service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Session id, unique on this server run.
    pub sid: String,
    /// The service's mode when the session started.
    pub mode: i32,
    /// The human agent serving it, once assigned.
    pub agent: Option<String>,
}

/// Why a request about a session is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// [`MAX_SESSIONS`] sessions are open.
    Full,
    /// No open session of this customer with this service has that sid.
    NoSession,
}

/// What a request for a human agent got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Switch {
    /// This agent serves the session (perhaps already did).
    Agent(String),
    /// The service has no human agent (or is robot-only): the robot keeps serving.
    NoAgent,
}

#[derive(Default)]
struct Inner {
    /// Registered services by id; `None` until first read from the store.
    services: Option<HashMap<String, CustomerService>>,
    /// Open sessions by (service, customer).
    sessions: HashMap<(String, String), Session>,
    /// Sessions started so far, for session ids.
    started: u64,
}

/// The desk, shared by every connection.
#[derive(Default)]
pub struct Desk(Mutex<Inner>);

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Desk")
    }
}

impl Desk {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether the registered services were read from the store yet.
    pub fn loaded(&self) -> bool {
        self.lock().services.is_some()
    }

    /// Sets the registered services (read from the store at first use).
    pub fn load(&self, services: Vec<CustomerService>) {
        let mut inner = self.lock();
        if inner.services.is_none() {
            inner.services = Some(services.into_iter().map(|s| (s.id.clone(), s)).collect());
        }
    }

    /// The registered service `id`.
    pub fn service(&self, id: &str) -> Option<CustomerService> {
        self.lock().services.as_ref()?.get(id).cloned()
    }

    /// How many services are registered.
    pub fn service_count(&self) -> usize {
        self.lock().services.as_ref().map_or(0, HashMap::len)
    }

    /// Forgets the registered services, to read them again at their next use (another node
    /// changed them, see [`crate::bus`]).
    pub fn forget_services(&self) {
        self.lock().services = None;
    }

    /// Registers or replaces a service (already stored). Its open sessions keep their agents.
    pub fn put_service(&self, service: CustomerService) {
        if let Some(all) = self.lock().services.as_mut() {
            all.insert(service.id.clone(), service);
        }
    }

    /// Forgets a service (already deleted from the store) and ends its sessions.
    pub fn remove_service(&self, id: &str) {
        let mut inner = self.lock();
        if let Some(all) = inner.services.as_mut() {
            all.remove(id);
        }
        inner.sessions.retain(|(s, _), _| s != id);
    }

    /// Starts a session of `customer` with `service`, replacing an open one; `time` makes
    /// the id unique across restarts.
    pub fn start(
        &self,
        service: &CustomerService,
        customer: &str,
        time: i64,
    ) -> Result<Session, Refusal> {
        let mut inner = self.lock();
        let key = (service.id.clone(), customer.to_owned());
        if !inner.sessions.contains_key(&key) && inner.sessions.len() >= MAX_SESSIONS {
            return Err(Refusal::Full);
        }
        inner.started += 1;
        let session = Session {
            sid: format!("{time:x}{:04x}", inner.started),
            mode: service.mode,
            agent: None,
        };
        inner.sessions.insert(key, session.clone());
        Ok(session)
    }

    /// The open session of `customer` with `service` whose id is `sid`.
    pub fn session(&self, service: &str, customer: &str, sid: &str) -> Result<Session, Refusal> {
        self.lock()
            .sessions
            .get(&(service.to_owned(), customer.to_owned()))
            .filter(|s| s.sid == sid)
            .cloned()
            .ok_or(Refusal::NoSession)
    }

    /// The human agent of `customer`'s open session with `service`, if one is assigned.
    pub fn agent_of(&self, service: &str, customer: &str) -> Option<String> {
        self.lock()
            .sessions
            .get(&(service.to_owned(), customer.to_owned()))?
            .agent
            .clone()
    }

    /// The service whose session with `customer` `agent` serves.
    pub fn served_by(&self, agent: &str, customer: &str) -> Option<(String, String)> {
        self.lock()
            .sessions
            .iter()
            .find(|((_, c), s)| c == customer && s.agent.as_deref() == Some(agent))
            .map(|((service, _), s)| (service.clone(), s.sid.clone()))
    }

    /// Assigns a human agent to the session `sid`: the agent it has, else the service's agent
    /// with the fewest open sessions, online ones (`online`) first.
    pub fn switch(
        &self,
        service: &CustomerService,
        customer: &str,
        sid: &str,
        online: impl Fn(&str) -> bool,
    ) -> Result<Switch, Refusal> {
        let mut inner = self.lock();
        let key = (service.id.clone(), customer.to_owned());
        match inner.sessions.get(&key) {
            Some(s) if s.sid == sid => {
                if let Some(a) = &s.agent {
                    return Ok(Switch::Agent(a.clone()));
                }
            }
            _ => return Err(Refusal::NoSession),
        }
        if service.mode == mode::ONLY_ROBOT {
            return Ok(Switch::NoAgent);
        }
        let load = |agent: &str| {
            inner
                .sessions
                .values()
                .filter(|s| s.agent.as_deref() == Some(agent))
                .count()
        };
        let best = service
            .agents
            .iter()
            .filter(|a| a.as_str() != customer)
            .min_by_key(|a| (!online(a), load(a)))
            .cloned();
        let Some(agent) = best else {
            return Ok(Switch::NoAgent);
        };
        if let Some(s) = inner.sessions.get_mut(&key) {
            s.agent = Some(agent.clone());
        }
        Ok(Switch::Agent(agent))
    }

    /// Ends the session `sid`; returns it.
    pub fn end(&self, service: &str, customer: &str, sid: &str) -> Result<Session, Refusal> {
        let mut inner = self.lock();
        let key = (service.to_owned(), customer.to_owned());
        match inner.sessions.get(&key) {
            Some(s) if s.sid == sid => inner.sessions.remove(&key).ok_or(Refusal::NoSession),
            _ => Err(Refusal::NoSession),
        }
    }

    /// How many sessions are open.
    pub fn open_sessions(&self) -> usize {
        self.lock().sessions.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(mode: i32, agents: &[&str]) -> CustomerService {
        CustomerService {
            id: "kf".into(),
            mode,
            greeting: "hello".into(),
            agents: agents.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    #[test]
    fn a_session_goes_from_the_robot_to_the_least_busy_online_agent_and_ends() {
        let desk = Desk::default();
        let kf = service(mode::ROBOT_FIRST, &["a1", "a2", "a3"]);
        desk.load(vec![kf.clone()]);
        let s1 = desk
            .start(&kf, "c1", 100)
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(desk.agent_of("kf", "c1"), None);
        // a1 is offline: a2 (online, idle) is chosen.
        let online = |a: &str| a != "a1";
        assert_eq!(
            desk.switch(&kf, "c1", &s1.sid, online),
            Ok(Switch::Agent("a2".into()))
        );
        // Asking again keeps the agent.
        assert_eq!(
            desk.switch(&kf, "c1", &s1.sid, online),
            Ok(Switch::Agent("a2".into()))
        );
        let s2 = desk
            .start(&kf, "c2", 100)
            .unwrap_or_else(|_| unreachable!());
        assert_ne!(s1.sid, s2.sid);
        assert_eq!(
            desk.switch(&kf, "c2", &s2.sid, online),
            Ok(Switch::Agent("a3".into()))
        );
        assert_eq!(
            desk.served_by("a2", "c1"),
            Some(("kf".into(), s1.sid.clone()))
        );
        assert_eq!(desk.served_by("a2", "c2"), None);
        assert_eq!(desk.end("kf", "c1", "wrong"), Err(Refusal::NoSession));
        assert!(desk.end("kf", "c1", &s1.sid).is_ok());
        assert_eq!(desk.served_by("a2", "c1"), None);
        assert_eq!(desk.open_sessions(), 1);
    }

    #[test]
    fn robot_only_services_and_services_without_agents_keep_the_robot() {
        let desk = Desk::default();
        for kf in [
            service(mode::ONLY_ROBOT, &["a1"]),
            service(mode::HUMAN_FIRST, &[]),
        ] {
            let s = desk.start(&kf, "c", 1).unwrap_or_else(|_| unreachable!());
            assert_eq!(desk.switch(&kf, "c", &s.sid, |_| true), Ok(Switch::NoAgent));
            assert_eq!(
                desk.switch(&kf, "c", "other", |_| true),
                Err(Refusal::NoSession)
            );
        }
    }

    #[test]
    fn sessions_are_bounded_and_a_new_handshake_replaces_the_open_one() {
        let desk = Desk::default();
        let kf = service(mode::ROBOT_FIRST, &[]);
        for i in 0..MAX_SESSIONS {
            assert!(desk.start(&kf, &format!("c{i}"), 1).is_ok());
        }
        assert_eq!(desk.start(&kf, "one more", 1), Err(Refusal::Full));
        // A customer who has a session may start again.
        let again = desk.start(&kf, "c0", 2).unwrap_or_else(|_| unreachable!());
        assert!(desk.session("kf", "c0", &again.sid).is_ok());
        assert_eq!(desk.open_sessions(), MAX_SESSIONS);
        desk.remove_service("kf");
        assert_eq!(desk.open_sessions(), 0);
    }
}
