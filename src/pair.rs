//! East–west pairs (东西部协作结对): the 2021 default list, short names such as 粤黔, and the
//! orientation of a pair written from either side.

use crate::province::{self, Province, Region};

/// An east–west pair, east side first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pair {
    pub east: Province,
    pub west: Province,
}

/// The pairs fixed by the 2021 adjustment, east → west.
const DEFAULT_PAIRS: &[(&str, &str)] = &[
    ("北京市", "内蒙古自治区"),
    ("天津市", "甘肃省"),
    ("上海市", "云南省"),
    ("江苏省", "陕西省"),
    ("江苏省", "青海省"),
    ("浙江省", "四川省"),
    ("福建省", "宁夏回族自治区"),
    ("山东省", "重庆市"),
    ("山东省", "甘肃省"),
    ("广东省", "广西壮族自治区"),
    ("广东省", "贵州省"),
];

/// The default pair list.
pub fn default_pairs() -> Vec<Pair> {
    DEFAULT_PAIRS
        .iter()
        .filter_map(|(e, w)| {
            Some(Pair {
                east: province::parse(e).ok()?,
                west: province::parse(w).ok()?,
            })
        })
        .collect()
}

impl Pair {
    /// The pair of `reporting` with `partner`, oriented by the known pairs, else by region.
    pub fn with_partner(reporting: Province, partner: Province, known: &[Pair]) -> Pair {
        let candidate = Pair {
            east: reporting,
            west: partner,
        };
        let swapped = Pair {
            east: partner,
            west: reporting,
        };
        if known.contains(&candidate) {
            candidate
        } else if known.contains(&swapped) || partner.region() == Region::East {
            swapped
        } else {
            candidate
        }
    }

    /// `粤黔`: the two one-character abbreviations, as the pairs are commonly called.
    pub fn short_name(&self) -> String {
        let abbr = |p: Province| p.abbr().map_or_else(|| p.short().to_owned(), String::from);
        format!("{}{}", abbr(self.east), abbr(self.west))
    }

    /// `广东—贵州`.
    pub fn name(&self) -> String {
        format!("{}—{}", self.east.short(), self.west.short())
    }

    /// `Guangdong–Guizhou`.
    pub fn name_en(&self) -> String {
        format!("{}–{}", self.east.name_en(), self.west.name_en())
    }

    /// `guangdong-guizhou`, the pair hub's URL segment.
    pub fn slug(&self) -> String {
        format!("{}-{}", self.east.slug(), self.west.slug())
    }

    /// True if `p` is one of the two sides.
    pub fn contains(&self, p: Province) -> bool {
        self.east == p || self.west == p
    }

    /// The side that is not `p`.
    pub fn partner_of(&self, p: Province) -> Province {
        if self.east == p { self.west } else { self.east }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pairs_have_their_short_names() {
        let names: Vec<String> = default_pairs().iter().map(Pair::short_name).collect();
        assert_eq!(
            names,
            [
                "京蒙", "津甘", "沪滇", "苏陕", "苏青", "浙川", "闽宁", "鲁渝", "鲁甘", "粤桂",
                "粤黔"
            ]
        );
    }

    #[test]
    fn orientation_from_either_side() {
        let known = default_pairs();
        let gd = province::parse("广东").unwrap();
        let gz = province::parse("贵州").unwrap();
        assert_eq!(
            Pair::with_partner(gz, gd, &known),
            Pair { east: gd, west: gz }
        );
        assert_eq!(
            Pair::with_partner(gd, gz, &known),
            Pair { east: gd, west: gz }
        );
        assert_eq!(
            Pair::with_partner(gz, gd, &known).slug(),
            "guangdong-guizhou"
        );
    }
}
