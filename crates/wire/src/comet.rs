//! The comet (JSON over HTTP long-polling) forms of the same signalling messages
//! (miniprogram.md §3.2, vectors.md §5–§6): the signed `headerCode`, server objects, upstream
//! requests, and payloads as JSON with the `.proto` field names.
//!
//! Payload JSON comes from serde derives on the generated protobuf types, so there is still one
//! schema; `bytes` fields (message `content`) travel as JSON strings.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::DecodeError;
use crate::frame::{ConnAck, Header, MessageType, Qos, ServerFrame};

/// The `headerCode` of a server object: the header byte as a signed 8-bit value (DISCONNECT `E0`
/// is −32, PINGRESP `D0` is −48).
pub const fn header_code(h: Header) -> i8 {
    h.to_byte() as i8
}

/// Parses a `headerCode` (signed, as servers send it) or an upstream `header` parameter
/// (unsigned, as clients send it).
pub fn header_from_code(code: i64) -> Result<Header, DecodeError> {
    let byte = match code {
        -128..=-1 => (code + 256) as u8,
        0..=255 => code as u8,
        _ => {
            return Err(DecodeError::InvalidStatus {
                frame: "comet header",
                value: 0xff,
            })
        }
    };
    Header::from_byte(byte)
}

/// Serde helpers for protobuf `bytes` fields that the comet codec carries as text.
pub mod text_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the bytes as a JSON string (UTF-8 or CESU-8 text; anything else is an error).
    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        match crate::strings::decode(bytes) {
            Ok(text) => s.serialize_str(&text),
            Err(at) => Err(serde::ser::Error::custom(format!(
                "bytes field is not text at {at}"
            ))),
        }
    }

    /// Reads a JSON string into its UTF-8 bytes.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(String::deserialize(d)?.into_bytes())
    }
}

/// A protobuf payload as comet JSON text; absent optional fields are left out.
pub fn payload_to_json<M: Serialize>(msg: &M) -> Result<String, DecodeError> {
    let mut value = serde_json::to_value(msg).map_err(|e| json_error("payload", &e))?;
    strip_nulls(&mut value);
    Ok(value.to_string())
}

/// Parses comet JSON text into a protobuf type. Unknown keys are ignored and missing ones take
/// their default, like the original JSON codec.
pub fn payload_from_json<M: DeserializeOwned>(text: &str) -> Result<M, DecodeError> {
    serde_json::from_str(text).map_err(|e| json_error("payload", &e))
}

fn json_error(what: &'static str, e: &serde_json::Error) -> DecodeError {
    DecodeError::Protobuf {
        message: what,
        reason: format!("comet JSON: {e}"),
    }
}

fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, x| !x.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// The JSON object a server sends for `frame`. `data` is the payload already converted with
/// [`payload_to_json`] (PUBLISH and QUERYACK); `session_id` is the comet session for a CONNACK.
///
/// Keys come in a fixed order with `headerCode` first, so a DISCONNECT serialises containing
/// `"headerCode":-32,` as the original client looks for (miniprogram.md §3.5).
pub fn server_object(frame: &ServerFrame, data: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("headerCode".into(), header_code(frame.header()).into());
    match frame {
        ServerFrame::ConnAck(ConnAck { status, session }) => {
            m.insert("status".into(), (*status).into());
            m.insert("messageId".into(), 0.into());
            if let Some(s) = session {
                m.insert("userId".into(), s.user_id.clone().into());
                m.insert("sessionid".into(), s.session_id.clone().into());
                m.insert("timestamp".into(), s.timestamp.into());
            }
        }
        ServerFrame::Publish(p) => {
            m.insert("messageId".into(), p.msg_id.into());
            m.insert("topic".into(), p.topic.clone().into());
            m.insert("targetId".into(), p.target_id.clone().into());
            m.insert("date".into(), p.date.into());
            m.insert("data".into(), data.unwrap_or_default().into());
        }
        ServerFrame::PubAck(a) => {
            m.insert("messageId".into(), a.msg_id.into());
            m.insert("status".into(), a.status.into());
            m.insert("timestamp".into(), a.timestamp().into());
            m.insert("messageUId".into(), a.message_uid.clone().into());
        }
        ServerFrame::QueryAck(a) => {
            m.insert("messageId".into(), a.msg_id.into());
            m.insert("status".into(), a.status.into());
            m.insert("date".into(), a.date.into());
            if let Some(d) = data {
                m.insert("data".into(), d.into());
            }
        }
        ServerFrame::PingResp => {}
        ServerFrame::Disconnect(d) => {
            m.insert("status".into(), d.status.into());
        }
    }
    Value::Object(m)
}

/// A server object as a client reads it: the header plus the keys present.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerObject {
    /// From `headerCode`.
    pub header: Option<Header>,
    /// `messageId`.
    pub message_id: u16,
    /// `status` (ConnectionState, ErrorCode or DISCONNECT status).
    pub status: i64,
    /// `topic` of a PUBLISH.
    pub topic: String,
    /// `targetId` of a PUBLISH.
    pub target_id: String,
    /// `date` (seconds).
    pub date: i64,
    /// `timestamp` (ms): CONNACK server time or PUBACK sent time.
    pub timestamp: i64,
    /// `messageUId` of a PUBACK.
    pub message_uid: String,
    /// `userId` of a CONNACK.
    pub user_id: String,
    /// `sessionid` of a CONNACK.
    pub session_id: String,
    /// `data`: the payload as JSON text.
    pub data: Option<String>,
}

/// Parses one server object. Wrongly typed keys are errors; unknown keys are ignored.
pub fn parse_server_object(v: &Value) -> Result<ServerObject, DecodeError> {
    let obj = v.as_object().ok_or(DecodeError::Protobuf {
        message: "comet object",
        reason: "not a JSON object".into(),
    })?;
    let int = |k: &str| -> Result<i64, DecodeError> {
        match obj.get(k) {
            None | Some(Value::Null) => Ok(0),
            Some(x) => x.as_i64().ok_or_else(|| field_error(k)),
        }
    };
    let text = |k: &str| -> Result<String, DecodeError> {
        match obj.get(k) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(field_error(k)),
        }
    };
    let header = match obj.get("headerCode") {
        None => None,
        Some(_) => Some(header_from_code(int("headerCode")?)?),
    };
    Ok(ServerObject {
        header,
        message_id: u16::try_from(int("messageId")?).map_err(|_| field_error("messageId"))?,
        status: int("status")?,
        topic: text("topic")?,
        target_id: text("targetId")?,
        date: int("date")?,
        timestamp: int("timestamp")?,
        message_uid: text("messageUId")?,
        user_id: text("userId")?,
        session_id: text("sessionid")?,
        data: obj.get("data").and_then(Value::as_str).map(str::to_owned),
    })
}

fn field_error(key: &str) -> DecodeError {
    DecodeError::Protobuf {
        message: "comet object",
        reason: format!("key {key} has the wrong type"),
    }
}

/// An upstream POST: `/websocket?messageid=&header=&sessionid=[&topic=&targetid=]` with a JSON
/// body (miniprogram.md §3.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upstream {
    /// From the unsigned `header` parameter.
    pub header: Header,
    /// `messageid`.
    pub message_id: u16,
    /// `topic` (PUBLISH and QUERY only).
    pub topic: Option<String>,
    /// `targetid` (PUBLISH and QUERY only).
    pub target_id: Option<String>,
    /// The body: payload JSON text, or `""` for PUBACK and QUERYCON.
    pub body: String,
}

impl Upstream {
    /// The query parameters, in the client's order, before `sessionid` and `pid` are added.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![
            ("messageid", self.message_id.to_string()),
            ("header", self.header.to_byte().to_string()),
        ];
        if let (Some(topic), Some(target)) = (&self.topic, &self.target_id) {
            p.push(("topic", topic.clone()));
            p.push(("targetid", target.clone()));
        }
        p
    }

    /// Reads the request from its query parameters (already URL-decoded) and body.
    pub fn from_params<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &str,
    ) -> Result<Self, DecodeError> {
        let (mut header, mut message_id, mut topic, mut target_id) = (None, 0u16, None, None);
        for (k, v) in params {
            match k {
                "header" => {
                    let code = v.parse::<i64>().map_err(|_| field_error("header"))?;
                    header = Some(header_from_code(code)?);
                }
                "messageid" => message_id = v.parse().map_err(|_| field_error("messageid"))?,
                "topic" => topic = Some(v.to_owned()),
                "targetid" => target_id = Some(v.to_owned()),
                _ => {}
            }
        }
        let header = header.ok_or_else(|| field_error("header"))?;
        if matches!(header.kind, MessageType::Publish | MessageType::Query)
            && (topic.is_none() || target_id.is_none())
        {
            return Err(field_error("topic"));
        }
        Ok(Self {
            header,
            message_id,
            topic,
            target_id,
            body: body.to_owned(),
        })
    }

    /// An upstream QUERY or PUBLISH.
    pub fn request(
        kind: MessageType,
        qos: Qos,
        id: u16,
        topic: &str,
        target: &str,
        body: String,
    ) -> Self {
        Self {
            header: Header::new(kind, qos),
            message_id: id,
            topic: Some(topic.to_owned()),
            target_id: Some(target.to_owned()),
            body,
        }
    }
}
