//! Indexes derived from the records: tags with unique pinyin slugs, cases and brands per
//! province, pair and task, and related cases. Pure functions of the site's records, each in
//! time linear in the number of records (related cases look only at near neighbours).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::SiteConfig;
use crate::model::{Brand, Bulletin, CaseStudy, PairIndex, ProvinceIndex, Tag, Taxonomies};
use crate::pair::Pair;
use crate::province::Province;

/// How many related cases a case page shows.
pub const RELATED: usize = 5;
/// How far around a case its neighbours in each shared list are looked at.
const WINDOW: usize = 6;

/// Builds every index from the sorted records.
pub fn build_taxonomies(
    cases: &[CaseStudy],
    brands: &[Brand],
    bulletins: &[Bulletin],
    config: &SiteConfig,
) -> Taxonomies {
    let (tags, tag_by_name) = build_tags(cases);
    let mut provinces: BTreeMap<Province, ProvinceIndex> = BTreeMap::new();
    let mut pairs: Vec<PairIndex> = config
        .pairs
        .iter()
        .map(|&pair| PairIndex {
            pair,
            configured: true,
            cases: Vec::new(),
            brands: Vec::new(),
        })
        .collect();
    let mut pair_pos: HashMap<Pair, usize> =
        pairs.iter().enumerate().map(|(i, p)| (p.pair, i)).collect();
    let mut pair_slot = |pair: Pair, pairs: &mut Vec<PairIndex>| -> usize {
        *pair_pos.entry(pair).or_insert_with(|| {
            pairs.push(PairIndex {
                pair,
                configured: false,
                cases: Vec::new(),
                brands: Vec::new(),
            });
            pairs.len() - 1
        })
    };
    let mut tasks = vec![Vec::new(); config.tasks.len()];
    for (i, case) in cases.iter().enumerate() {
        provinces.entry(case.province).or_default().cases.push(i);
        if let Some(pair) = case.pair {
            let partner = pair.partner_of(case.province);
            if partner != case.province {
                provinces.entry(partner).or_default().cases.push(i);
            }
            let slot = pair_slot(pair, &mut pairs);
            pairs[slot].cases.push(i);
        }
        if let Some(t) = tasks.get_mut(case.task) {
            t.push(i);
        }
    }
    for (i, brand) in brands.iter().enumerate() {
        provinces.entry(brand.province).or_default().brands.push(i);
        if let Some(pair) = brand.pair {
            let slot = pair_slot(pair, &mut pairs);
            pairs[slot].brands.push(i);
        } else if let Some(p) = pairs
            .iter_mut()
            .find(|p| p.pair.west == brand.province && p.configured)
        {
            // A western brand belongs to its province's pair hub too, where the pair is unique.
            let unique = config
                .pairs
                .iter()
                .filter(|q| q.west == brand.province)
                .count()
                == 1;
            if unique {
                p.brands.push(i);
            }
        }
    }
    for p in &pairs {
        for side in [p.pair.east, p.pair.west] {
            let entry = provinces.entry(side).or_default();
            if !entry.pairs.contains(&p.pair) {
                entry.pairs.push(p.pair);
            }
        }
    }
    let related = build_related(cases, &tags, &tag_by_name, &pairs, &tasks);
    let brand_cases = build_brand_cases(cases, brands, &provinces);
    Taxonomies {
        tags,
        tag_by_name,
        provinces,
        pairs,
        tasks,
        related,
        case_bulletins: build_case_bulletins(cases.len(), bulletins),
        brand_cases,
    }
}

fn build_tags(cases: &[CaseStudy]) -> (Vec<Tag>, HashMap<String, usize>) {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        for tag in &case.tags {
            by_name.entry(tag.as_str()).or_default().push(i);
        }
    }
    let mut slugs = TagSlugs::default();
    let mut tags: Vec<Tag> = by_name
        .into_iter()
        .map(|(name, cases)| Tag {
            name: name.to_owned(),
            slug: slugs.claim(name),
            cases,
        })
        .collect();
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    let index = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    (tags, index)
}

/// Gives out distinct tag slugs. Two tags with one pinyin (e.g. 公益 and 功易) get -2, -3 … in
/// name order; a suffixed slug that another tag already took (a tag written `gong-yi-2`) is
/// skipped. Each base remembers its last suffix, so 100,000 tags of one pinyin stay linear.
#[derive(Default)]
struct TagSlugs {
    taken: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl TagSlugs {
    fn claim(&mut self, name: &str) -> String {
        let base = crate::slug::slugify(name);
        // Over-long tag names are cut at a hyphen, so their URL stays a valid file name.
        let base = match crate::slug::shorten(&base) {
            "" => "tag".to_owned(),
            short => short.to_owned(),
        };
        let n = self.next_suffix.entry(base.clone()).or_insert(1);
        let mut slug = if *n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while self.taken.contains(&slug) {
            *n += 1;
            slug = format!("{base}-{n}");
        }
        *n += 1;
        self.taken.insert(slug.clone());
        slug
    }
}

fn build_related(
    cases: &[CaseStudy],
    tags: &[Tag],
    tag_by_name: &HashMap<String, usize>,
    pairs: &[PairIndex],
    tasks: &[Vec<usize>],
) -> Vec<Vec<usize>> {
    let pair_lists: HashMap<Pair, &Vec<usize>> = pairs.iter().map(|p| (p.pair, &p.cases)).collect();
    // Position of each case inside each list, so neighbours are found without a search.
    let position = |list: &[usize]| -> HashMap<usize, usize> {
        list.iter().enumerate().map(|(p, &i)| (i, p)).collect()
    };
    let tag_pos: Vec<HashMap<usize, usize>> = tags.iter().map(|t| position(&t.cases)).collect();
    let task_pos: Vec<HashMap<usize, usize>> = tasks.iter().map(|t| position(t)).collect();
    let pair_pos: HashMap<Pair, HashMap<usize, usize>> =
        pair_lists.iter().map(|(p, l)| (*p, position(l))).collect();

    cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let mut scores: Vec<(usize, u32)> = Vec::new();
            let mut add = |list: &[usize], pos: Option<&usize>, weight: u32| {
                let Some(&p) = pos else { return };
                let lo = p.saturating_sub(WINDOW);
                let hi = (p + WINDOW + 1).min(list.len());
                for &j in &list[lo..hi] {
                    if j == i {
                        continue;
                    }
                    match scores.iter_mut().find(|(k, _)| *k == j) {
                        Some((_, s)) => *s += weight,
                        None => scores.push((j, weight)),
                    }
                }
            };
            if let Some(pair) = case.pair {
                add(pair_lists[&pair], pair_pos[&pair].get(&i), 3);
            }
            if let Some(list) = tasks.get(case.task) {
                add(list, task_pos[case.task].get(&i), 2);
            }
            for tag in &case.tags {
                if let Some(&t) = tag_by_name.get(tag) {
                    add(&tags[t].cases, tag_pos[t].get(&i), 1);
                }
            }
            scores.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then(a.0.abs_diff(i).cmp(&b.0.abs_diff(i)))
                    .then(a.0.cmp(&b.0))
            });
            scores.into_iter().take(RELATED).map(|(j, _)| j).collect()
        })
        .collect()
}

/// Per case, the bulletins that carry it, in bulletin order.
fn build_case_bulletins(cases: usize, bulletins: &[Bulletin]) -> Vec<Vec<usize>> {
    let mut by_case = vec![Vec::new(); cases];
    for (b, bulletin) in bulletins.iter().enumerate() {
        for &c in &bulletin.cases {
            if by_case[c].last() != Some(&b) {
                by_case[c].push(b);
            }
        }
    }
    by_case
}

/// How many cases a brand page lists as naming the brand.
pub const BRAND_CASES: usize = 6;

/// Per brand, up to [`BRAND_CASES`] cases of its province whose title or summary names it (or
/// an alias). Each case's text is read once: its character pairs index the province's cases,
/// and a brand looks only at the cases holding its name's first pair, so the cost does not
/// grow with brands × cases.
fn build_brand_cases(
    cases: &[CaseStudy],
    brands: &[Brand],
    provinces: &BTreeMap<Province, ProvinceIndex>,
) -> Vec<Vec<usize>> {
    let mut result = vec![Vec::new(); brands.len()];
    for index in provinces.values() {
        if index.brands.is_empty() {
            continue;
        }
        let mut by_pair: HashMap<(char, char), Vec<usize>> = HashMap::new();
        for &c in &index.cases {
            let case = &cases[c];
            for text in [&case.title, &case.summary] {
                let chars: Vec<char> = text.chars().collect();
                for w in chars.windows(2) {
                    let list = by_pair.entry((w[0], w[1])).or_default();
                    if list.last() != Some(&c) {
                        list.push(c);
                    }
                }
            }
        }
        for &b in &index.brands {
            let brand = &brands[b];
            let names: Vec<&str> = std::iter::once(brand.name.as_str())
                .chain(brand.aliases.iter().map(String::as_str))
                .collect();
            let mut found: Vec<usize> = Vec::new();
            for name in &names {
                let chars: Vec<char> = name.chars().collect();
                // A case naming the brand holds every pair of its name: look only at the cases
                // holding its rarest pair (a name's first pair is often its province's name,
                // which thousands of cases hold).
                let Some(candidates) = chars
                    .windows(2)
                    .map(|w| by_pair.get(&(w[0], w[1])).map_or(&[][..], Vec::as_slice))
                    .min_by_key(|list| list.len())
                else {
                    continue;
                };
                // Candidates run newest first: the first BRAND_CASES that name it are the ones
                // this name can contribute.
                let mut named = 0;
                for &c in candidates {
                    if named == BRAND_CASES {
                        break;
                    }
                    let case = &cases[c];
                    if case.title.contains(name) || case.summary.contains(name) {
                        named += 1;
                        if !found.contains(&c) {
                            found.push(c);
                        }
                    }
                }
            }
            // Case indices run newest first, as the province's list does.
            found.sort_unstable();
            found.truncate(BRAND_CASES);
            result[b] = found;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_slugs_stay_distinct() {
        let mut slugs = TagSlugs::default();
        let got: Vec<String> = ["gong-yi-2", "公益", "功易", "攻艺", ""]
            .iter()
            .map(|name| slugs.claim(name))
            .collect();
        assert_eq!(
            got,
            ["gong-yi-2", "gong-yi", "gong-yi-3", "gong-yi-4", "tag"]
        );
    }

    #[test]
    fn many_tags_of_one_pinyin_get_distinct_slugs() {
        let mut slugs = TagSlugs::default();
        let got: HashSet<String> = (0..10_000).map(|_| slugs.claim("公益")).collect();
        assert_eq!(got.len(), 10_000);
    }
}
