//! A policy file's JSON read with every key checked for a twin: `serde_json` keeps the last of
//! two equal keys in one object, so a second `endpoint` far down a long file would silently
//! replace the first one IT reviewed.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a policy file's bytes are not a policy's JSON.
#[derive(Debug)]
pub(super) enum JsonRefusal {
    /// Not JSON at all.
    Syntax(serde_json::Error),
    /// A key given twice in one object: its path (`clients.never`) and the line of the second.
    TwiceGiven { key: String, line: usize },
}

/// The JSON value of `bytes`, refusing a key given twice in one object at any depth.
pub(super) fn parse(bytes: &[u8]) -> Result<Value, JsonRefusal> {
    let twice_given = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = UniqueKeys {
        path: String::new(),
        twice_given: &twice_given,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    match (parsed, twice_given.into_inner()) {
        (Ok(value), _) => Ok(value),
        (Err(error), Some(key)) => Err(JsonRefusal::TwiceGiven {
            key,
            line: error.line(),
        }),
        (Err(error), None) => Err(JsonRefusal::Syntax(error)),
    }
}

/// Builds a `Value` like `serde_json`'s own, knowing where it is so that a twin key is named by
/// its whole path; the path is kept in `twice_given`, as serde's error carries only text.
struct UniqueKeys<'a> {
    path: String,
    twice_given: &'a RefCell<Option<String>>,
}

impl UniqueKeys<'_> {
    fn child(&self, path: String) -> Self {
        UniqueKeys {
            path,
            twice_given: self.twice_given,
        }
    }
}

impl<'de> DeserializeSeed<'de> for UniqueKeys<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(value.into())
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(value.into())
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut values = Vec::new();
        while let Some(value) =
            items.next_element_seed(self.child(format!("{}[{}]", self.path, values.len())))?
        {
            values.push(value);
        }
        Ok(Value::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = entries.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if map.contains_key(&key) {
                let error = <A::Error as de::Error>::custom(format_args!(
                    "the key `{path}` is given twice"
                ));
                *self.twice_given.borrow_mut() = Some(path);
                return Err(error);
            }
            let value = entries.next_value_seed(self.child(path))?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn twice_given(text: &str) -> (String, usize) {
        match parse(text.as_bytes()) {
            Err(JsonRefusal::TwiceGiven { key, line }) => (key, line),
            other => panic!("a twin key is refused as one: {other:?}"),
        }
    }

    #[test]
    fn a_key_given_twice_is_named_by_its_path_at_any_depth() {
        assert_eq!(
            twice_given("{\n\"endpoint\": \"a\",\n\"endpoint\": \"b\"\n}"),
            ("endpoint".to_owned(), 3),
            "a top-level twin, with the line of the second"
        );
        assert_eq!(
            twice_given(r#"{ "clients": { "never": [], "configure": [], "never": ["zed"] } }"#).0,
            "clients.never",
            "a nested twin is named by its path"
        );
        assert_eq!(
            twice_given(r#"{ "list": [ {}, { "a": 1, "a": 2 } ] }"#).0,
            "list[1].a",
            "inside an array, the item is named too"
        );
    }

    #[test]
    fn the_same_key_in_two_objects_is_no_twin() {
        let value = parse(br#"{ "organization": { "name": "A" }, "clients": { "name": 1 } }"#)
            .expect("keys repeat only across objects");
        assert_eq!(
            value,
            serde_json::json!({ "organization": { "name": "A" }, "clients": { "name": 1 } }),
            "the value is what serde_json reads"
        );
    }

    #[test]
    fn every_json_type_reads_as_serde_json_reads_it() {
        let text = r#"{ "a": [true, null, -3, 18446744073709551615, 1.5, "x\u00e9"], "b": {} }"#;
        assert_eq!(
            parse(text.as_bytes()).expect("valid JSON"),
            serde_json::from_str::<Value>(text).unwrap(),
            "the same value as serde_json's own reader"
        );
    }

    #[test]
    fn what_is_not_json_stays_a_syntax_error() {
        assert!(
            matches!(parse(b"{ \"a\": 1 } trailing"), Err(JsonRefusal::Syntax(_))),
            "trailing text is not JSON"
        );
        assert!(
            matches!(parse(b"{ \"a\": "), Err(JsonRefusal::Syntax(_))),
            "an unfinished file is not JSON"
        );
    }
}
