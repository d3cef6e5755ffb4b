//! The 34 provincial-level divisions of China plus 新疆生产建设兵团, and parsing of the many ways
//! authors write them (full name 贵州省, short name 贵州, abbreviation 黔, traditional 貴州省).
//!
//! Every accepted form resolves to one `Province`, which is shown and serialised as its full
//! simplified name. Matching is exact after trimming and folding traditional characters; nothing
//! is guessed. When the input is unknown, `UnknownProvince` carries the province the author most
//! likely meant (a typo, a pinyin spelling, a wrong 省/自治区 suffix) so a diagnostic can say
//! "did you mean". This module does not know prefectures or counties (黔东南 is not a province and
//! is not mapped to one), nor the national aggregate 全国: callers that accept 全国 handle it first.

use std::fmt;

/// A provincial-level division or 新疆生产建设兵团; an index into the table, ordered by code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Province(u8);

/// The standard 东部/中部/西部/东北 economic regions, with 港澳台 kept apart.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Region {
    East,
    Central,
    West,
    Northeast,
    HongKongMacaoTaiwan,
}

/// An input that names no province, with the province the author probably meant.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UnknownProvince {
    pub input: String,
    pub suggestion: Option<Province>,
}

struct Entry {
    code: u32,
    name: &'static str,
    short: &'static str,
    /// One-character abbreviations, the usual one first; each char is accepted on its own.
    abbrs: &'static str,
    slug: &'static str,
    en: &'static str,
    region: Region,
    tile: Option<(u8, u8)>,
    /// Informal names seen in real documents, accepted as exact matches.
    variants: &'static [&'static str],
}

#[allow(clippy::too_many_arguments)]
const fn p(
    code: u32,
    name: &'static str,
    short: &'static str,
    abbrs: &'static str,
    slug: &'static str,
    en: &'static str,
    region: Region,
    tile: Option<(u8, u8)>,
    variants: &'static [&'static str],
) -> Entry {
    Entry {
        code,
        name,
        short,
        abbrs,
        slug,
        en,
        region,
        tile,
        variants,
    }
}

use Region::{Central as C, East as E, HongKongMacaoTaiwan as HMT, Northeast as NE, West as W};

// Slugs are fixed rather than computed from pinyin because toneless pinyin collides
// (陕西 and 山西 are both "shanxi"); 陕西 uses the official spelling "shaanxi".
// Tiles are geofacet's `china_prov_grid1` (MIT), (row, column), 1-based.
#[rustfmt::skip]
const TABLE: [Entry; 35] = [
    p(110000, "北京市", "北京", "京", "beijing", "Beijing", E, Some((3, 8)), &[]),
    p(120000, "天津市", "天津", "津", "tianjin", "Tianjin", E, Some((4, 8)), &[]),
    p(130000, "河北省", "河北", "冀", "hebei", "Hebei", E, Some((4, 7)), &[]),
    p(140000, "山西省", "山西", "晋", "shanxi", "Shanxi", C, Some((5, 6)), &[]),
    p(150000, "内蒙古自治区", "内蒙古", "蒙", "neimenggu", "Inner Mongolia", W, Some((2, 7)), &["内蒙"]),
    p(210000, "辽宁省", "辽宁", "辽", "liaoning", "Liaoning", NE, Some((3, 9)), &[]),
    p(220000, "吉林省", "吉林", "吉", "jilin", "Jilin", NE, Some((2, 10)), &[]),
    p(230000, "黑龙江省", "黑龙江", "黑", "heilongjiang", "Heilongjiang", NE, Some((1, 10)), &[]),
    p(310000, "上海市", "上海", "沪", "shanghai", "Shanghai", E, Some((6, 9)), &[]),
    p(320000, "江苏省", "江苏", "苏", "jiangsu", "Jiangsu", E, Some((6, 8)), &[]),
    p(330000, "浙江省", "浙江", "浙", "zhejiang", "Zhejiang", E, Some((7, 8)), &[]),
    p(340000, "安徽省", "安徽", "皖", "anhui", "Anhui", C, Some((6, 7)), &[]),
    p(350000, "福建省", "福建", "闽", "fujian", "Fujian", E, Some((8, 8)), &[]),
    p(360000, "江西省", "江西", "赣", "jiangxi", "Jiangxi", C, Some((8, 7)), &[]),
    p(370000, "山东省", "山东", "鲁", "shandong", "Shandong", E, Some((5, 8)), &[]),
    p(410000, "河南省", "河南", "豫", "henan", "Henan", C, Some((5, 7)), &[]),
    p(420000, "湖北省", "湖北", "鄂", "hubei", "Hubei", C, Some((6, 6)), &[]),
    p(430000, "湖南省", "湖南", "湘", "hunan", "Hunan", C, Some((7, 6)), &[]),
    p(440000, "广东省", "广东", "粤", "guangdong", "Guangdong", E, Some((9, 7)), &[]),
    p(450000, "广西壮族自治区", "广西", "桂", "guangxi", "Guangxi", W, Some((9, 6)), &["广西自治区"]),
    p(460000, "海南省", "海南", "琼", "hainan", "Hainan", E, Some((11, 7)), &[]),
    p(500000, "重庆市", "重庆", "渝", "chongqing", "Chongqing", W, Some((7, 5)), &[]),
    p(510000, "四川省", "四川", "川蜀", "sichuan", "Sichuan", W, Some((7, 4)), &[]),
    p(520000, "贵州省", "贵州", "黔贵", "guizhou", "Guizhou", W, Some((8, 5)), &[]),
    p(530000, "云南省", "云南", "滇云", "yunnan", "Yunnan", W, Some((9, 4)), &[]),
    p(540000, "西藏自治区", "西藏", "藏", "xizang", "Xizang", W, Some((7, 2)), &[]),
    p(610000, "陕西省", "陕西", "陕秦", "shaanxi", "Shaanxi", W, Some((6, 5)), &[]),
    p(620000, "甘肃省", "甘肃", "甘陇", "gansu", "Gansu", W, Some((5, 4)), &[]),
    p(630000, "青海省", "青海", "青", "qinghai", "Qinghai", W, Some((4, 2)), &[]),
    p(640000, "宁夏回族自治区", "宁夏", "宁", "ningxia", "Ningxia", W, Some((3, 5)), &["宁夏自治区"]),
    p(650000, "新疆维吾尔自治区", "新疆", "新", "xinjiang", "Xinjiang", W, Some((2, 1)), &["新疆自治区"]),
    // 兵团 has no GB/T 2260 code of its own (its cities carry 新疆 codes, 659xxx). 660000 uses the
    // unassigned 66 prefix, as national reporting systems commonly do, so code order keeps it
    // beside 新疆. It lies within 新疆, hence West; it has no tile of its own on the grid.
    p(660000, "新疆生产建设兵团", "兵团", "", "bingtuan", "Xinjiang Production and Construction Corps", W, None, &["新疆兵团", "生产建设兵团"]),
    p(710000, "台湾省", "台湾", "台", "taiwan", "Taiwan", HMT, Some((8, 10)), &["中国台湾"]),
    p(810000, "香港特别行政区", "香港", "港", "xianggang", "Hong Kong", HMT, Some((10, 10)), &["香港特区", "中国香港"]),
    p(820000, "澳门特别行政区", "澳门", "澳", "aomen", "Macao", HMT, Some((10, 9)), &["澳门特区", "中国澳门"]),
];

// Only the traditional characters that occur in some accepted province form: folding them
// lets every traditional spelling match without a general converter. 陜 and 産 are variant
// forms of 陝 and 產 that real traditional-character text also uses.
#[rustfmt::skip]
const TRADITIONAL: &[(char, char)] = &[
    ('內', '内'), ('區', '区'), ('遼', '辽'), ('寧', '宁'), ('龍', '龙'), ('蘇', '苏'), ('東', '东'),
    ('廣', '广'), ('壯', '壮'), ('慶', '庆'), ('貴', '贵'), ('雲', '云'), ('陝', '陕'), ('陜', '陕'),
    ('肅', '肃'), ('維', '维'), ('爾', '尔'), ('產', '产'), ('産', '产'), ('設', '设'), ('團', '团'),
    ('臺', '台'), ('灣', '湾'), ('別', '别'), ('門', '门'), ('滬', '沪'), ('閩', '闽'), ('贛', '赣'),
    ('魯', '鲁'), ('粵', '粤'), ('瓊', '琼'), ('隴', '陇'), ('晉', '晋'), ('國', '国'),
];

impl Province {
    fn entry(self) -> &'static Entry {
        &TABLE[usize::from(self.0)]
    }

    /// GB/T 2260 code, e.g. 520000; 660000 for 兵团, which has none.
    pub fn code(self) -> u32 {
        self.entry().code
    }

    /// Full simplified name, e.g. 广西壮族自治区.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// Short name, e.g. 广西.
    pub fn short(self) -> &'static str {
        self.entry().short
    }

    /// The usual one-character abbreviation, e.g. 桂; `None` for 兵团.
    pub fn abbr(self) -> Option<char> {
        self.entry().abbrs.chars().next()
    }

    /// Fixed URL slug, toneless pinyin of the short name (陕西 → `shaanxi`); also the search pinyin.
    pub fn slug(self) -> &'static str {
        self.entry().slug
    }

    /// English name, e.g. Inner Mongolia.
    pub fn name_en(self) -> &'static str {
        self.entry().en
    }

    /// Economic region.
    pub fn region(self) -> Region {
        self.entry().region
    }

    /// Tile-grid position (row, column), 1-based; `None` for 兵团.
    pub fn tile(self) -> Option<(u8, u8)> {
        self.entry().tile
    }

    /// All 35 in code order.
    pub fn all() -> impl Iterator<Item = Province> {
        (0..TABLE.len())
            .filter_map(|i| u8::try_from(i).ok())
            .map(Province)
    }

    /// The province whose slug is exactly `slug`.
    pub fn from_slug(slug: &str) -> Option<Province> {
        Province::all().find(|p| p.slug() == slug)
    }

    /// Every exact form this province is accepted as (after folding), abbreviations included.
    fn keys(self) -> impl Iterator<Item = &'static str> {
        let e = self.entry();
        let abbrs = e
            .abbrs
            .char_indices()
            .map(|(i, c)| &e.abbrs[i..i + c.len_utf8()]);
        [e.name, e.short]
            .into_iter()
            .chain(abbrs)
            .chain(e.variants.iter().copied())
    }
}

impl Region {
    /// Chinese name: 东部, 中部, 西部, 东北 or 港澳台.
    pub fn name(self) -> &'static str {
        match self {
            Region::East => "东部",
            Region::Central => "中部",
            Region::West => "西部",
            Region::Northeast => "东北",
            Region::HongKongMacaoTaiwan => "港澳台",
        }
    }
}

impl fmt::Display for Province {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Province {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl serde::Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl fmt::Display for UnknownProvince {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.suggestion {
            Some(p) => write!(f, "未知省份“{}”，是否为“{}”？", self.input, p),
            None => write!(f, "未知省份“{}”", self.input),
        }
    }
}

impl std::error::Error for UnknownProvince {}

impl std::str::FromStr for Province {
    type Err = UnknownProvince;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl TryFrom<&str> for Province {
    type Error = UnknownProvince;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        parse(s)
    }
}

impl TryFrom<String> for Province {
    type Error = UnknownProvince;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        parse(&s)
    }
}

/// Parses a full, short, abbreviated, variant or traditional name; exact after normalisation.
pub fn parse(input: &str) -> Result<Province, UnknownProvince> {
    let folded = fold(input.trim());
    lookup(&folded).ok_or_else(|| UnknownProvince {
        input: input.trim().to_string(),
        suggestion: suggest(&folded),
    })
}

fn fold(s: &str) -> String {
    s.chars()
        .map(|c| {
            TRADITIONAL
                .iter()
                .find(|(t, _)| *t == c)
                .map_or(c, |(_, simple)| *simple)
        })
        .collect()
}

fn lookup(folded: &str) -> Option<Province> {
    Province::all().find(|p| p.keys().any(|k| k == folded))
}

/// `Some` only when exactly one province qualifies: a wrong guess is worse than none.
fn only_one(mut candidates: impl Iterator<Item = Province>) -> Option<Province> {
    let first = candidates.next()?;
    candidates.all(|p| p == first).then_some(first)
}

// Each step is stricter than the next is loose, so the first that answers is the best guess.
fn suggest(folded: &str) -> Option<Province> {
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return None;
    }
    if let Some(p) = lookup(&compact) {
        return Some(p);
    }
    if compact.is_ascii() {
        return suggest_from_latin(&compact);
    }
    // A wrong administrative suffix (广西省, 内蒙古省, 贵州市) is the commonest slip.
    for suffix in ["省", "市", "自治区", "特别行政区", "特区", "地区"] {
        if let Some(p) = compact.strip_suffix(suffix).and_then(lookup) {
            return Some(p);
        }
    }
    nearest_by_edits(&compact)
        .or_else(|| first_contained_key(&compact))
        .or_else(|| {
            only_one(Province::all().filter(|p| long_keys(*p).any(|k| k.contains(&*compact))))
        })
        .filter(|_| compact.chars().count() >= 2)
}

/// Keys of two or more characters: one character alone says too little to suggest from.
fn long_keys(p: Province) -> impl Iterator<Item = &'static str> {
    p.keys().filter(|k| k.chars().count() >= 2)
}

/// A near-miss like 贵洲. The first character must agree, or 杭州 would suggest 贵州.
fn nearest_by_edits(s: &str) -> Option<Province> {
    let first = s.chars().next()?;
    let distance = |p: Province| {
        long_keys(p)
            .filter(|k| k.starts_with(first))
            .filter_map(|k| {
                let d = strsim::levenshtein(s, k);
                (d <= (k.chars().count() / 4).max(1)).then_some(d)
            })
            .min()
    };
    let best = Province::all().filter_map(distance).min()?;
    only_one(Province::all().filter(|p| distance(*p) == Some(best)))
}

/// A longer phrase that starts with or names a province (贵州省人社厅); the earliest name wins.
fn first_contained_key(s: &str) -> Option<Province> {
    Province::all()
        .flat_map(|p| {
            long_keys(p).filter_map(move |k| s.find(k).map(|at| (at, usize::MAX - k.len(), p)))
        })
        .min()
        .map(|(_, _, p)| p)
}

/// Pinyin or English (guizhou, Shaanxi, Inner Mongolia): authors must write Chinese, but we can
/// say which province they meant.
fn suggest_from_latin(s: &str) -> Option<Province> {
    let s: String = s
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let latin = |p: Province| {
        [
            p.slug().to_string(),
            p.name_en().to_lowercase().replace(' ', ""),
        ]
    };
    let exact = |s: &str| Province::all().find(|p| latin(*p).iter().any(|k| k == s));
    let stripped = ["sheng", "shi", "province"]
        .iter()
        .find_map(|x| s.strip_suffix(x).and_then(exact));
    exact(&s).or(stripped).or_else(|| {
        if s.len() < 5 {
            return None;
        }
        let near = |p: &Province| {
            latin(*p)
                .iter()
                .any(|k| strsim::damerau_levenshtein(&s, k) <= 1)
        };
        only_one(Province::all().filter(near))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn suggestion(input: &str) -> Option<&'static str> {
        parse(input)
            .expect_err(input)
            .suggestion
            .map(Province::name)
    }

    #[test]
    fn all_parse_from_full_short_and_abbreviations() {
        assert_eq!(Province::all().count(), 35);
        for p in Province::all() {
            assert_eq!(parse(p.name()), Ok(p));
            assert_eq!(parse(p.short()), Ok(p));
            for c in p.entry().abbrs.chars() {
                assert_eq!(parse(&c.to_string()), Ok(p), "{c}");
            }
            assert_eq!(p.abbr().is_none(), p.short() == "兵团");
        }
        for (a, name) in [
            ("蜀", "四川省"),
            ("贵", "贵州省"),
            ("云", "云南省"),
            ("秦", "陕西省"),
            ("陇", "甘肃省"),
        ] {
            assert_eq!(parse(a).map(Province::name), Ok(name));
        }
    }

    #[test]
    fn codes_are_ordered_and_index_matches_order() {
        let codes: Vec<u32> = Province::all().map(Province::code).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(parse("贵州").map(Province::code), Ok(520000));
        assert_eq!(parse("兵团").map(Province::code), Ok(660000));
    }

    #[test]
    fn no_key_names_two_provinces() {
        let mut seen = HashSet::new();
        for p in Province::all() {
            for k in p.keys().collect::<HashSet<_>>() {
                assert!(seen.insert(k), "{k} is ambiguous");
            }
        }
    }

    #[test]
    fn traditional_forms_and_variants_parse() {
        for (input, name) in [
            ("貴州省", "贵州省"),
            ("廣西壯族自治區", "广西壮族自治区"),
            ("雲南", "云南省"),
            ("內蒙古", "内蒙古自治区"),
            ("遼寧", "辽宁省"),
            ("黑龍江", "黑龙江省"),
            ("陝西", "陕西省"),
            ("陜西省", "陕西省"),
            ("甘肅", "甘肃省"),
            ("寧夏回族自治區", "宁夏回族自治区"),
            ("新疆維吾爾自治區", "新疆维吾尔自治区"),
            ("臺灣", "台湾省"),
            ("台灣", "台湾省"),
            ("澳門", "澳门特别行政区"),
            ("香港特別行政區", "香港特别行政区"),
            ("廣東", "广东省"),
            ("江蘇", "江苏省"),
            ("湖北", "湖北省"),
            ("重慶市", "重庆市"),
            ("新疆生產建設兵團", "新疆生产建设兵团"),
            ("粵", "广东省"),
            ("閩", "福建省"),
            ("隴", "甘肃省"),
            ("中國香港", "香港特别行政区"),
            ("内蒙", "内蒙古自治区"),
            ("新疆兵团", "新疆生产建设兵团"),
            ("宁夏自治区", "宁夏回族自治区"),
            ("广西自治区", "广西壮族自治区"),
            (" 　贵州\n", "贵州省"),
        ] {
            assert_eq!(parse(input).map(Province::name), Ok(name), "{input}");
        }
    }

    #[test]
    fn fold_table_only_maps_into_accepted_forms() {
        let keys: String = Province::all().flat_map(Province::keys).collect();
        for (t, s) in TRADITIONAL {
            assert!(keys.contains(*s), "{s}");
            assert!(!keys.contains(*t), "{t}");
        }
    }

    #[test]
    fn slugs_are_unique_ascii_and_fixed() {
        let slugs: HashSet<&str> = Province::all().map(Province::slug).collect();
        assert_eq!(slugs.len(), 35);
        assert!(
            slugs
                .iter()
                .all(|s| s.bytes().all(|b| b.is_ascii_lowercase()))
        );
        assert_eq!(
            Province::from_slug("shaanxi").map(Province::name),
            Some("陕西省")
        );
        assert_eq!(
            Province::from_slug("shanxi").map(Province::name),
            Some("山西省")
        );
        assert_eq!(Province::from_slug("Guizhou"), None);
    }

    #[test]
    fn tiles_cover_the_34_divisions_without_overlap() {
        let tiles: Vec<(u8, u8)> = Province::all().filter_map(Province::tile).collect();
        assert_eq!(tiles.len(), 34);
        assert_eq!(tiles.iter().collect::<HashSet<_>>().len(), 34);
        assert_eq!(parse("兵团").map(Province::tile), Ok(None));
        assert_eq!(parse("黑龙江").map(Province::tile), Ok(Some((1, 10))));
    }

    #[test]
    fn regions_follow_the_standard_classification() {
        let count = |r| Province::all().filter(|p| p.region() == r).count();
        assert_eq!([E, C, W, NE, HMT].map(count), [10, 6, 13, 3, 3]);
    }

    #[test]
    fn suggestions_name_the_likely_province() {
        for (input, name) in [
            ("贵洲", "贵州省"),
            ("广西省", "广西壮族自治区"),
            ("内蒙古省", "内蒙古自治区"),
            ("陕 西", "陕西省"),
            ("Guizhou", "贵州省"),
            ("guizhou", "贵州省"),
            ("shaanxi", "陕西省"),
            ("Shan Xi", "山西省"),
            ("Inner Mongolia", "内蒙古自治区"),
            ("guizou", "贵州省"),
            ("西藏省", "西藏自治区"),
            ("新疆维吾尔族自治区", "新疆维吾尔自治区"),
            ("黑龙", "黑龙江省"),
            ("龙江", "黑龙江省"),
            ("贵州省人社厅", "贵州省"),
            ("新疆建设兵团", "新疆生产建设兵团"),
            ("廣西省", "广西壮族自治区"),
        ] {
            assert_eq!(suggestion(input), Some(name), "{input}");
        }
    }

    #[test]
    fn unclear_inputs_suggest_nothing() {
        for input in [
            "全国",
            "黔东南",
            "杭州",
            "湖东",
            "自治区",
            "中国",
            "",
            "  ",
            "x",
            "hanan",
        ] {
            assert_eq!(suggestion(input), None, "{input}");
        }
        assert_eq!(
            parse(" 全国 ").expect_err("全国").to_string(),
            "未知省份“全国”"
        );
    }

    #[test]
    fn displays_as_and_deserialises_from_a_name() {
        let p = parse("黔").expect("黔");
        assert_eq!(p.to_string(), "贵州省");
        let de = serde::de::value::StrDeserializer::<serde::de::value::Error>::new;
        assert_eq!(
            <Province as serde::Deserialize>::deserialize(de("貴州")),
            Ok(p)
        );
        assert!(<Province as serde::Deserialize>::deserialize(de("全国")).is_err());
        assert_eq!(
            parse("贵洲").expect_err("贵洲").to_string(),
            "未知省份“贵洲”，是否为“贵州省”？"
        );
    }
}
