//! Files and user status of `EngineCore` (api.md §3.8).

use im_client::args::{self, id, now as ms};
use wasm_bindgen::prelude::*;

use crate::engine::Engine;

#[wasm_bindgen(js_class = EngineCore)]
impl Engine {
    /// `getFileToken(fileType)`.
    #[wasm_bindgen(js_name = fileToken)]
    pub fn file_token(&mut self, now: f64, file_type: f64) -> u32 {
        self.request(|e| Ok(e.file_token(ms(now), args::file_type(file_type)?)))
    }

    /// `getFileUrl(fileType, fileName, oriName)`: `ori_name` absent or empty: none.
    #[wasm_bindgen(js_name = fileUrl)]
    pub fn file_url(
        &mut self,
        now: f64,
        file_type: f64,
        file_name: Option<String>,
        ori_name: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let t = args::file_type(file_type)?;
            Ok(e.file_url(ms(now), t, &id(file_name, "fileName")?, ori_name))
        })
    }

    /// `getUserStatus(userId)`: the user's own status (2.x ignores `userId`).
    #[wasm_bindgen(js_name = userStatus)]
    pub fn user_status(&mut self, now: f64) -> u32 {
        self.request(|e| Ok(e.user_status(ms(now))))
    }

    /// `setUserStatus(status)`.
    #[wasm_bindgen(js_name = setUserStatus)]
    pub fn set_user_status(&mut self, now: f64, status: f64) -> u32 {
        self.request(|e| {
            let status = args::int_in(status, i32::MIN..=i32::MAX, "status")?;
            Ok(e.set_user_status(ms(now), status))
        })
    }

    /// `setUserStatusListener({userIds})`: `user_ids` as the JSON text of a non-empty array.
    #[wasm_bindgen(js_name = subscribeUserStatus)]
    pub fn subscribe_user_status(&mut self, now: f64, user_ids: Option<String>) -> u32 {
        self.request(|e| {
            let users = args::ids(user_ids, "userIds")?;
            if users.is_empty() {
                return Err(args::invalid(
                    "userIds must be a non-empty array of user ids",
                ));
            }
            Ok(e.subscribe_user_status(ms(now), users))
        })
    }
}
