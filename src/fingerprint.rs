//! Fingerprints of serialisable values (a page's template context), taken by feeding the value's
//! serde data model straight into the hasher.
//!
//! A page is kept from the last build when the fingerprint of its context is unchanged, so every
//! page of every build takes one. Serialising to JSON first cost more than the rest of a no-op
//! page: string escaping of every case body. Here a string is its length and its bytes, hashed
//! in place. Every value is tagged with its kind and every sequence, map and string with its
//! length, so two different values never feed the hasher the same bytes.

use std::fmt;

use serde::ser::{self, Serialize};

use crate::output::{Fingerprint, FingerprintWriter};

/// Fingerprint of `value`, seeded with `seed` (what every output of its kind shares).
pub fn of_value<T: Serialize + ?Sized>(seed: Fingerprint, value: &T) -> Result<Fingerprint, Error> {
    let mut hasher = Hashing(FingerprintWriter::seeded(seed));
    value.serialize(&mut hasher)?;
    Ok(hasher.0.finish())
}

/// A value refused to serialise (a custom `Serialize` impl reported an error).
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

struct Hashing(FingerprintWriter);

// One tag per kind of the serde data model.
const UNIT: u8 = 0;
const NONE: u8 = 1;
const SOME: u8 = 2;
const BOOL: u8 = 3;
const INT: u8 = 4;
const UINT: u8 = 5;
const FLOAT: u8 = 6;
const CHAR: u8 = 7;
const STR: u8 = 8;
const BYTES: u8 = 9;
const VARIANT: u8 = 10;
const NEWTYPE: u8 = 11;
const SEQ: u8 = 12;
const MAP: u8 = 13;
const STRUCT: u8 = 14;
/// Closes a sequence or map whose length was not known in advance.
const END: u8 = 15;

impl Hashing {
    fn put(&mut self, bytes: &[u8]) {
        std::hash::Hasher::write(&mut self.0, bytes);
    }

    fn tag(&mut self, tag: u8) {
        self.put(&[tag]);
    }

    fn len(&mut self, n: usize) {
        self.put(&(n as u64).to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        self.len(s.len());
        self.put(s.as_bytes());
    }

    fn open(&mut self, tag: u8, len: Option<usize>) -> Compound<'_> {
        self.tag(tag);
        if let Some(n) = len {
            self.len(n);
        }
        Compound {
            h: self,
            unsized_len: len.is_none(),
        }
    }
}

/// A sequence, tuple, map or struct being hashed.
struct Compound<'a> {
    h: &'a mut Hashing,
    /// The length was not given up front: an end marker keeps the encoding unambiguous.
    unsized_len: bool,
}

impl Compound<'_> {
    fn close(self) {
        if self.unsized_len {
            self.h.tag(END);
        }
    }
}

impl<'a> ser::Serializer for &'a mut Hashing {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.put(&[BOOL, u8::from(v)]);
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.tag(INT);
        self.put(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.tag(INT);
        self.put(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.tag(UINT);
        self.put(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.tag(UINT);
        self.put(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.tag(FLOAT);
        self.put(&v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.tag(CHAR);
        self.put(&u32::from(v).to_le_bytes());
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.tag(STR);
        self.text(v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.tag(BYTES);
        self.len(v.len());
        self.put(v);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.tag(NONE);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.tag(SOME);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.tag(UNIT);
        Ok(())
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Error> {
        self.tag(UNIT);
        self.text(name);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.tag(VARIANT);
        self.put(&index.to_le_bytes());
        self.text(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.tag(NEWTYPE);
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.tag(VARIANT);
        self.put(&index.to_le_bytes());
        self.text(variant);
        value.serialize(self)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open(SEQ, len))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open(SEQ, Some(len)))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.open(SEQ, Some(len)))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.tag(VARIANT);
        self.put(&index.to_le_bytes());
        self.text(variant);
        Ok(self.open(SEQ, Some(len)))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open(MAP, len))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open(STRUCT, Some(len)))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.tag(VARIANT);
        self.put(&index.to_le_bytes());
        self.text(variant);
        Ok(self.open(STRUCT, Some(len)))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.h)
    }

    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.h)
    }

    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.h)
    }

    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.h)
    }

    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(&mut *self.h)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.h)
    }

    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        // Field names matter: a template reads fields by name, and `skip_serializing_if`
        // can drop one, so the same values under other names are another context.
        self.h.text(key);
        value.serialize(&mut *self.h)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), Error> {
        self.h.tag(NONE);
        self.h.text(key);
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.h.text(key);
        value.serialize(&mut *self.h)
    }

    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn fp<T: Serialize + ?Sized>(v: &T) -> Fingerprint {
        of_value(0, v).unwrap()
    }

    #[derive(serde::Serialize)]
    struct Page {
        title: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        tags: Vec<String>,
    }

    #[test]
    fn values_that_differ_have_different_fingerprints() {
        // Moving text across a boundary must change the fingerprint.
        assert_ne!(fp(&("ab", "c")), fp(&("a", "bc")));
        assert_ne!(
            fp(&vec!["ab".to_owned()]),
            fp(&vec!["a".to_owned(), "b".to_owned()])
        );
        assert_ne!(fp(&Some(())), fp(&None::<()>));
        assert_ne!(fp(&1u32), fp(&1i32));
        assert_ne!(fp(&1.0f64), fp(&1u64));
        let page = |title: &str, note: Option<&str>| Page {
            title: title.to_owned(),
            note: note.map(str::to_owned),
            tags: vec!["劳务协作".to_owned()],
        };
        assert_ne!(fp(&page("标题", None)), fp(&page("标题", Some(""))));
        assert_ne!(fp(&page("标题", None)), fp(&page("标题 ", None)));
        let mut a = BTreeMap::new();
        a.insert("k", "v");
        let mut b = BTreeMap::new();
        b.insert("kv", "");
        assert_ne!(fp(&a), fp(&b));
    }

    #[test]
    fn equal_values_have_equal_fingerprints_and_the_seed_counts() {
        let v = ("东西部协作", vec![1u8, 2, 3], Some(2.5f32));
        assert_eq!(fp(&v), fp(&v.clone()));
        assert_ne!(of_value(1, &v).unwrap(), of_value(2, &v).unwrap());
    }
}
