//! Customer service and public services of `EngineCore` (api.md §3.1, §3.8).

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

    /// `stopCustomeService(custId)`: `RC:CsSp`.
    #[wasm_bindgen(js_name = stopCustomeService)]
    pub fn stop_custom_service(&mut self, now: f64, cust_id: Option<String>) -> u32 {
        self.cs(now, cust_id, "RC:CsSp", None)
    }

    /// `switchToHumanMode(custId)`: `RC:CSCha`.
    #[wasm_bindgen(js_name = switchToHumanMode)]
    pub fn switch_to_human_mode(&mut self, now: f64, cust_id: Option<String>) -> u32 {
        self.cs(now, cust_id, "RC:CSCha", None)
    }

    /// `evaluateRebotCustomService(custId, isRobotResolved, suggest)`.
    #[wasm_bindgen(js_name = evaluateRebotCustomService)]
    pub fn evaluate_robot_custom_service(
        &mut self,
        now: f64,
        cust_id: Option<String>,
        resolved: bool,
        suggest: Option<String>,
    ) -> u32 {
        let evaluation = (0, i64::from(resolved), suggest.unwrap_or_default());
        self.cs(now, cust_id, "RC:CsEva", Some(Ok(evaluation)))
    }

    /// `evaluateHumanCustomService(custId, humanValue, suggest)`: `humanValue` 1–5.
    #[wasm_bindgen(js_name = evaluateHumanCustomService)]
    pub fn evaluate_human_custom_service(
        &mut self,
        now: f64,
        cust_id: Option<String>,
        value: f64,
        suggest: Option<String>,
    ) -> u32 {
        let evaluation = args::int_in(value, 1..=5, "humanValue")
            .map(|v| (1, i64::from(v), suggest.unwrap_or_default()));
        self.cs(now, cust_id, "RC:CsEva", Some(evaluation))
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

    /// `searchPublicService(searchType, keyword)`: every type; searchType 0 exact, 1 fuzzy.
    #[wasm_bindgen(js_name = searchPublicService)]
    pub fn search_public_service(
        &mut self,
        now: f64,
        search_type: f64,
        keyword: Option<String>,
    ) -> u32 {
        self.search(now, None, search_type, keyword)
    }

    /// `searchPublicServiceByType(psType, searchType, keyword)`.
    #[wasm_bindgen(js_name = searchPublicServiceByType)]
    pub fn search_public_service_by_type(
        &mut self,
        now: f64,
        t: f64,
        search_type: f64,
        keyword: Option<String>,
    ) -> u32 {
        self.search(now, Some(t), search_type, keyword)
    }

    /// `subscribePublicService(psType, id)`.
    #[wasm_bindgen(js_name = subscribePublicService)]
    pub fn subscribe_public_service(&mut self, now: f64, t: f64, ps_id: Option<String>) -> u32 {
        self.follow(now, t, ps_id, true)
    }

    /// `unsubscribePublicService(psType, id)`.
    #[wasm_bindgen(js_name = unsubscribePublicService)]
    pub fn unsubscribe_public_service(&mut self, now: f64, t: f64, ps_id: Option<String>) -> u32 {
        self.follow(now, t, ps_id, false)
    }

    /// `getPublicServiceProfile(psType, id)`: the profile kept from the last list, or nothing.
    #[wasm_bindgen(js_name = getPublicServiceProfile)]
    pub fn public_service_profile(&mut self, t: f64, ps_id: Option<String>) {
        self.answer(|e| Ok(e.public_service_profile(ps_type(t)?.value(), &id(ps_id, "id")?)));
    }
}

type Evaluation = Result<(i64, i64, String), im_client::RequestError>;

impl Engine {
    fn cs(&mut self, now: f64, cust_id: Option<String>, name: &str, ev: Option<Evaluation>) -> u32 {
        self.request(|e| {
            let cust_id = id(cust_id, "custId")?;
            let ev = ev.transpose()?;
            Ok(e.custom_service_command(ms(now), cust_id, name, ev))
        })
    }

    fn search(&mut self, now: f64, t: Option<f64>, search: f64, keyword: Option<String>) -> u32 {
        self.request(|e| {
            let t = t.map(ps_type).transpose()?;
            let fuzzy = args::int_in(search, 0..=1, "searchType")? == 1;
            Ok(e.search_public_services(ms(now), t, fuzzy, id(keyword, "keyword")?))
        })
    }

    fn follow(&mut self, now: f64, t: f64, ps_id: Option<String>, on: bool) -> u32 {
        self.request(|e| {
            let t = ps_type(t)?;
            Ok(e.follow_public_service(ms(now), t, id(ps_id, "publicServiceId")?, on))
        })
    }
}
