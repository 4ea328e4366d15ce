//! Customer service and public services of `EngineCore` (api.md §3.1, §3.8): one method per
//! engine command; the façade names the variant (a stop or an evaluation, a follow or an
//! unfollow, a type or none) with a number.

use im_client::args::{self, id, now as ms, public_service_type as ps_type};
use wasm_bindgen::prelude::*;

use crate::engine::Engine;

#[wasm_bindgen(js_class = EngineCore)]
impl Engine {
    /// `startCustomService(custId, callback, content)`: `content` as JSON text, or absent.
    #[wasm_bindgen(js_name = startCustomService)]
    pub fn start_custom_service(
        &mut self,
        now: f64,
        cust_id: Option<String>,
        content: Option<String>,
    ) -> u32 {
        self.request(|e| Ok(e.start_custom_service(ms(now), id(cust_id, "custId")?, content)))
    }

    /// With the session of `cust_id`, by `kind`: 0 `stopCustomeService` (`RC:CsSp`), 1
    /// `switchToHumanMode` (`RC:CSCha`), 2 `evaluateRebotCustomService` (`value` =
    /// isRobotResolved, 0 or 1) and 3 `evaluateHumanCustomService` (`value` = humanValue, 1–5),
    /// both `RC:CsEva` with `suggest`.
    #[wasm_bindgen(js_name = customService)]
    pub fn custom_service(
        &mut self,
        now: f64,
        cust_id: Option<String>,
        kind: f64,
        value: f64,
        suggest: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let cust_id = id(cust_id, "custId")?;
            let (name, evaluation) = match args::int_in(kind, 0..=3, "kind")? {
                0 => ("RC:CsSp", None),
                1 => ("RC:CSCha", None),
                k => {
                    let human = k == 3;
                    let range = if human { 1..=5 } else { 0..=1 };
                    let v = args::int_in(value, range, "value")?;
                    let suggest = suggest.unwrap_or_default();
                    ("RC:CsEva", Some((i64::from(human), i64::from(v), suggest)))
                }
            };
            Ok(e.custom_service_command(ms(now), cust_id, name, evaluation))
        })
    }

    /// `getRemotePublicServiceList(callback, time)` and `getPublicServiceList(callback)`: NaN
    /// (what the façade passes for an absent or non-number time) is 0, as 2.5.3 sends a falsy
    /// one. (An `Option<f64>` alone would be inlined by wasm-bindgen past what the slim glue
    /// reads.)
    #[wasm_bindgen(js_name = publicServices)]
    pub fn public_services(&mut self, now: f64, time: f64) -> u32 {
        self.request(|e| {
            let time = if time.is_nan() {
                0
            } else {
                args::time(time, "pullMessageTime")?
            };
            Ok(e.public_services(ms(now), time))
        })
    }

    /// `searchPublicService(searchType, keyword)` (`t` 0: every type) and
    /// `searchPublicServiceByType(psType, searchType, keyword)`; searchType 0 exact, 1 fuzzy.
    #[wasm_bindgen(js_name = searchPublicService)]
    pub fn search_public_service(
        &mut self,
        now: f64,
        t: f64,
        search_type: f64,
        keyword: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let t = if t == 0.0 { None } else { Some(ps_type(t)?) };
            let fuzzy = args::int_in(search_type, 0..=1, "searchType")? == 1;
            Ok(e.search_public_services(ms(now), t, fuzzy, id(keyword, "keyword")?))
        })
    }

    /// `subscribePublicService(psType, id)` (`follow`) and `unsubscribePublicService`.
    #[wasm_bindgen(js_name = followPublicService)]
    pub fn follow_public_service(
        &mut self,
        now: f64,
        t: f64,
        ps_id: Option<String>,
        follow: bool,
    ) -> u32 {
        self.request(|e| {
            let t = ps_type(t)?;
            Ok(e.follow_public_service(ms(now), t, id(ps_id, "publicServiceId")?, follow))
        })
    }

    /// `getPublicServiceProfile(psType, id)`: the profile kept from the last list, or nothing.
    #[wasm_bindgen(js_name = getPublicServiceProfile)]
    pub fn public_service_profile(&mut self, t: f64, ps_id: Option<String>) {
        self.answer(|e| Ok(e.public_service_profile(ps_type(t)?.value(), &id(ps_id, "id")?)));
    }
}
