//! Every request the stand-in received, with when it started and was answered, so that a test
//! can count sequential round trips.

use std::sync::Mutex;
use std::time::Instant;

use http::Method;

/// One request the server received: when, which HTTP method and which JSON-RPC method.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    pub http_method: Method,
    pub rpc_method: Option<String>,
    pub started: Instant,
    pub finished: Instant,
}

/// Everything the server received, in arrival order.
#[derive(Debug, Default)]
pub struct RequestLog {
    requests: Mutex<Vec<LoggedRequest>>,
}

impl RequestLog {
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// How many exchanges had to wait for the one before: requests are grouped into waves,
    /// and a wave starts when a request starts after every earlier request has been answered.
    /// Requests with `exclude` as their HTTP method (the session's `DELETE`) are left out.
    pub fn sequential_exchanges(&self, exclude: &Method) -> usize {
        let mut requests: Vec<LoggedRequest> = self
            .requests()
            .into_iter()
            .filter(|request| request.http_method != *exclude)
            .collect();
        requests.sort_by_key(|request| request.started);
        let mut waves = 0;
        let mut wave_end: Option<Instant> = None;
        for request in requests {
            if wave_end.is_none_or(|end| request.started >= end) {
                waves += 1;
                wave_end = Some(request.finished);
            } else if let Some(end) = wave_end.as_mut() {
                *end = (*end).max(request.finished);
            }
        }
        waves
    }

    pub(crate) fn push(&self, request: LoggedRequest) {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(request);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn request(
        http_method: Method,
        started_ms: u64,
        finished_ms: u64,
        origin: Instant,
    ) -> LoggedRequest {
        LoggedRequest {
            http_method,
            rpc_method: None,
            started: origin + Duration::from_millis(started_ms),
            finished: origin + Duration::from_millis(finished_ms),
        }
    }

    #[test]
    fn overlapping_requests_are_one_exchange_and_delete_is_left_out() {
        let origin = Instant::now();
        let log = RequestLog::default();
        for logged in [
            request(Method::POST, 0, 10, origin),
            request(Method::POST, 10, 20, origin),
            request(Method::POST, 11, 18, origin),
            request(Method::POST, 20, 30, origin),
            request(Method::POST, 21, 35, origin),
            request(Method::DELETE, 36, 40, origin),
        ] {
            log.push(logged);
        }
        assert_eq!(
            log.sequential_exchanges(&Method::DELETE),
            3,
            "requests that start before the wave is answered belong to it"
        );
        assert_eq!(
            log.sequential_exchanges(&Method::OPTIONS),
            4,
            "a DELETE after everything is a wave of its own when counted"
        );
    }
}
