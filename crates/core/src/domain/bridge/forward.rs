//! Forwarding one request from one side of the bridge to the other, in either direction, with
//! what rmcp does not carry across by itself: the sender's progress token and its
//! cancellation.
//!
//! rmcp gives every outgoing request a progress token of its own, so a progress notification
//! coming back names the bridge's token; `ProgressTokens` turns it back into the one the
//! original sender chose. A cancellation arrives as the cancelled token of the incoming
//! request and leaves as a `notifications/cancelled` naming the forwarded request's id.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, PoisonError};

use rmcp::model::{GetMeta, ProgressToken, RequestMetaObject};
use rmcp::service::{Peer, PeerRequestOptions, ServiceError, ServiceRole};

/// Progress tokens of forwarded requests: the bridge's token → the original sender's token.
#[derive(Debug, Default)]
pub(super) struct ProgressTokens {
    by_forwarded: Mutex<HashMap<ProgressToken, ProgressToken>>,
}

impl ProgressTokens {
    /// The token the original sender chose for the request forwarded with `forwarded`, while
    /// that request is pending.
    pub fn original(&self, forwarded: &ProgressToken) -> Option<ProgressToken> {
        self.lock().get(forwarded).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ProgressToken, ProgressToken>> {
        // A panic while holding this map cannot leave it half-updated: each change is one call.
        self.by_forwarded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Keeps one token pair registered until the forwarded request ends.
struct ProgressRegistration<'a> {
    tokens: &'a ProgressTokens,
    forwarded: ProgressToken,
}

impl Drop for ProgressRegistration<'_> {
    fn drop(&mut self) {
        self.tokens.lock().remove(&self.forwarded);
    }
}

/// Sends `request` (whose `_meta` rmcp moved into `meta`) through `peer` and waits for the
/// answer; when `cancelled` (the incoming request's cancellation) completes first, tells the
/// peer to stop and returns `Cancelled`.
pub(super) async fn forward_request<R>(
    peer: &Peer<R>,
    mut request: R::Req,
    meta: RequestMetaObject,
    cancelled: impl Future<Output = ()>,
    progress: &ProgressTokens,
) -> Result<R::PeerResp, ServiceError>
where
    R: ServiceRole,
    R::Req: GetMeta<Metadata = RequestMetaObject>,
{
    let original_token = meta.get_progress_token();
    *request.get_meta_mut() = meta;
    let mut handle = peer
        .send_cancellable_request(request, PeerRequestOptions::no_options())
        .await?;
    // Registered right after sending: the first progress notification needs a round trip to
    // the other side and back, which is far longer than this step.
    let _registration = original_token.map(|original| {
        progress
            .lock()
            .insert(handle.progress_token.clone(), original);
        ProgressRegistration {
            tokens: progress,
            forwarded: handle.progress_token.clone(),
        }
    });
    let answer = tokio::select! {
        answer = &mut handle.rx => Some(answer),
        () = cancelled => None,
    };
    if let Some(answer) = answer {
        return answer.map_err(|_closed| ServiceError::TransportClosed)?;
    }
    let reason = "the AI client cancelled the request".to_owned();
    handle.cancel(Some(reason.clone())).await?;
    Err(ServiceError::Cancelled {
        reason: Some(reason),
    })
}
