//! The queue of outputs and the allocator of request ids, shared by the engine's parts.

use std::collections::VecDeque;

use crate::storage::Storage;

use im_wire::enums::ConnectionStatus;

use crate::output::{Event, Output, RequestId};

#[derive(Debug, Default)]
pub(crate) struct Out {
    queue: VecDeque<Output>,
    next_request: u32,
    /// The last status emitted (`getCurrentConnectionStatus`); `None` before any.
    pub(crate) status: Option<i32>,
    /// Writes not yet handed to the host, the last value per key (see `Engine::poll_output`).
    held: Storage,
}

impl Out {
    pub(crate) fn push(&mut self, output: Output) {
        self.queue.push_back(output);
    }

    pub(crate) fn pop(&mut self) -> Option<Output> {
        self.queue.pop_front()
    }

    pub(crate) fn event(&mut self, event: Event) {
        self.push(Output::Event { event });
    }

    pub(crate) fn status(&mut self, status: ConnectionStatus) {
        self.status_code(status.value());
    }

    /// A status by number: DISCONNECT 5 (BLOCK) reaches listeners as 5, which has no name in
    /// the 2.x enum (transport.md §9.3).
    pub(crate) fn status_code(&mut self, status: i32) {
        self.status = Some(status);
        self.event(Event::StatusChanged { status });
    }

    pub(crate) fn request_id(&mut self) -> RequestId {
        self.next_request = self.next_request.wrapping_add(1);
        RequestId(self.next_request)
    }

    pub(crate) fn http_get(&mut self, url: String) -> RequestId {
        let id = self.request_id();
        self.push(Output::HttpGet { id, url });
        id
    }

    pub(crate) fn send_bytes(&mut self, bytes: Vec<u8>) {
        self.push(Output::SendBytes { bytes });
    }

    /// Holds a write (an empty value deletes the key) until [`Out::release`]; a later write of
    /// the same key replaces it.
    pub(crate) fn persist(&mut self, key: String, value: String) {
        self.held.insert(key, value);
    }

    pub(crate) fn holds_writes(&self) -> bool {
        !self.held.is_empty()
    }

    /// Queues every held write.
    pub(crate) fn release(&mut self) {
        for (key, value) in std::mem::take(&mut self.held) {
            self.push(Output::Persist { key, value });
        }
    }
}
