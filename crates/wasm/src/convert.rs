//! The engine's config, read from its JSON text, and answers written as JSON.
//!
//! The config is the one free-form argument (`Config`'s fields by their camelCase names); every
//! other argument crosses the boundary as a plain value (see `engine.rs`).

use im_client::wire::json_out::{self, WriteJson};
use im_client::wire::value::Value;
use im_client::{Backoff, Config};

/// Why a config does not fit.
pub(crate) type Failure = String;

/// The engine's config (`appKey`, `naviHosts`, …) from its JSON text: absent fields take the
/// defaults of [`Config`].
pub(crate) fn read_config(text: &str) -> Result<Config, Failure> {
    let value =
        im_client::wire::json::parse(text).map_err(|_| "the config is not JSON".to_owned())?;
    let mut f = Fields::of(value, "config")?;
    let mut c = Config::default();
    f.set("appKey", string, &mut c.app_key)?;
    f.set("naviHosts", strings, &mut c.navi_hosts)?;
    f.set("naviFile", string, &mut c.navi_file)?;
    f.set("secure", boolean, &mut c.secure)?;
    f.set("sdkVersion", string, &mut c.sdk_version)?;
    f.set("seed", integer, &mut c.seed)?;
    f.set("naviTimeoutMs", integer, &mut c.navi_timeout_ms)?;
    f.set("maxNaviRetry", integer, &mut c.max_navi_retry)?;
    f.set("connackTimeoutMs", integer, &mut c.connack_timeout_ms)?;
    f.set("storeBudget", integer, &mut c.store_budget)?;
    f.set("outbox", boolean, &mut c.outbox)?;
    f.set("outboxExpiryMs", integer, &mut c.outbox_expiry_ms)?;
    c.api_host = f.opt("apiHost", string)?;
    // Inserted one by one: collecting into the map would link its sort and bulk build too.
    let storage = |v| match v {
        Value::Object(map) => {
            let mut storage = im_client::Storage::new();
            for (k, v) in map {
                storage.insert(k, string(v)?);
            }
            Some(storage)
        }
        _ => None,
    };
    f.set("storage", storage, &mut c.storage)?;
    match f.raw("autoReconnect") {
        None => {}
        Some(Value::Null) => c.auto_reconnect = None,
        Some(v) => {
            let mut b = Fields::of(v, "autoReconnect")?;
            let mut backoff = Backoff::default();
            b.set("initialMs", integer, &mut backoff.initial_ms)?;
            b.set("maxMs", integer, &mut backoff.max_ms)?;
            b.set("jitterPercent", integer, &mut backoff.jitter_percent)?;
            backoff.max_attempts = b.opt("maxAttempts", integer)?;
            c.auto_reconnect = Some(backoff);
        }
    }
    Ok(c)
}

/// The fields of an object argument, read by name as a derived `Deserialize` would: a missing
/// field is a failure unless it has a default, a field of the wrong kind always is, and other
/// keys are ignored. One reader for every argument object instead of one per type.
pub(crate) struct Fields<'w> {
    map: im_client::wire::value::Map,
    what: &'w str,
}

impl<'w> Fields<'w> {
    pub(crate) fn of(value: Value, what: &'w str) -> Result<Self, Failure> {
        match value {
            Value::Object(map) => Ok(Self { map, what }),
            _ => Err(im_client::wire::text!("invalid ", what, ": not an object")),
        }
    }

    fn fail(&self, key: &str, kind: &str) -> Failure {
        im_client::wire::text!("invalid ", self.what, ": `", key, "` ", kind)
    }

    /// A field's value when present (`null` included), read by `read`.
    pub(crate) fn get<T>(
        &mut self,
        key: &str,
        read: fn(Value) -> Option<T>,
    ) -> Result<Option<T>, Failure> {
        match self.map.remove(key) {
            None => Ok(None),
            Some(v) => read(v)
                .map(Some)
                .ok_or_else(|| self.fail(key, "has the wrong type")),
        }
    }

    /// A field with a default: `slot` keeps its value when the field is missing.
    pub(crate) fn set<T>(
        &mut self,
        key: &str,
        read: fn(Value) -> Option<T>,
        slot: &mut T,
    ) -> Result<(), Failure> {
        if let Some(value) = self.get(key, read)? {
            *slot = value;
        }
        Ok(())
    }

    /// An optional field: missing or `null` is `None`.
    pub(crate) fn opt<T>(
        &mut self,
        key: &str,
        read: fn(Value) -> Option<T>,
    ) -> Result<Option<T>, Failure> {
        match self.map.get(key) {
            Some(Value::Null) => Ok(None),
            _ => self.get(key, read),
        }
    }

    /// A field's raw value; `None` when missing.
    fn raw(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key)
    }
}

/// A string value.
fn string(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// A boolean value.
fn boolean(value: Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

/// An integral number that fits `T` (written without a fraction or exponent, as serde reads it).
fn integer<T: TryFrom<u64> + TryFrom<i64>>(value: Value) -> Option<T> {
    let Value::Number(n) = value else {
        return None;
    };
    if let Some(u) = n.as_u64() {
        return T::try_from(u).ok();
    }
    // `-0` is not an integer to the reader of text numbers.
    #[cfg(target_arch = "wasm32")]
    if n.as_str() == "-0" {
        return None;
    }
    n.as_i64().and_then(|i| T::try_from(i).ok())
}

/// An array whose items all read with `read`.
fn list<T>(value: Value, read: fn(Value) -> Option<T>) -> Option<Vec<T>> {
    match value {
        Value::Array(items) => items.into_iter().map(read).collect(),
        _ => None,
    }
}

/// A list of strings.
fn strings(value: Value) -> Option<Vec<String>> {
    list(value, string)
}

/// A value as JSON text.
pub(crate) fn json<T: WriteJson + ?Sized>(value: &T) -> String {
    json_out::text(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_fields_of_the_wrong_kind_are_named() {
        let c =
            read_config(r#"{"appKey":"k","naviHosts":["a:1"],"secure":false,"seed":7}"#).unwrap();
        assert_eq!((c.app_key.as_str(), c.seed, c.secure), ("k", 7, false));
        assert_eq!(c.navi_hosts, vec!["a:1".to_owned()]);
        for (bad, key) in [
            (r#"{"appKey":5}"#, "appKey"),
            (r#"{"naviHosts":"a"}"#, "naviHosts"),
            (r#"{"seed":-1}"#, "seed"),
            (r#"{"storage":{"a":1}}"#, "storage"),
            (
                r#"{"autoReconnect":{"jitterPercent":300}}"#,
                "jitterPercent",
            ),
        ] {
            let reason = read_config(bad).unwrap_err();
            assert!(reason.contains(key), "{bad}: {reason}");
        }
        assert!(read_config("[]").is_err());
        assert!(read_config("{").is_err());
        assert_eq!(
            read_config(r#"{"autoReconnect":null}"#)
                .unwrap()
                .auto_reconnect,
            None
        );
        let b = read_config(r#"{"autoReconnect":{"initialMs":5,"maxAttempts":3}}"#).unwrap();
        let b = b.auto_reconnect.unwrap();
        assert_eq!((b.initial_ms, b.max_attempts), (5, Some(3)));
    }
}
