//! Groups of simplified characters that look alike (形近字), for typo tolerance: a query
//! character may stand for another of its group, as a handwriting or stroke (五笔) input method,
//! or a hurried reader, confuses them. Same-sound confusions, the pinyin input method's, need no
//! table: they come from the pinyin readings.
//!
//! The list is written by hand: common confusions taught in schools, plus those of the words
//! this site's content is made of (协作, 帮扶, 以工代赈, 劳务, 车间, province and pair names).
//! A group is a similarity, not an equivalence: 护 looks like 沪 and like 扩, which need not
//! look alike. The client only ever corrects towards a word of the index's vocabulary, so a
//! loose pair costs nothing where no such word exists. This module does not know the
//! vocabulary; `vocabulary` keeps the groups that touch it.

/// Look-alike groups, each a string of two or more simplified characters.
pub const GROUPS: &[&str] = &[
    // Classic confusions.
    "己已巳",
    "未末",
    "土士",
    "千干于",
    "人入八",
    "大太犬",
    "天夭",
    "王玉主",
    "日曰",
    "拔拨",
    "侯候",
    "辩辨辫瓣",
    "戍戌戊",
    "即既",
    "折析拆",
    "贫贪",
    "准淮",
    "梁粱",
    "市币",
    "县具且",
    "困因囚",
    "历厉",
    "冶治",
    "免兔",
    "鸟乌",
    "刀力",
    "办为",
    "采彩菜",
    "末未术木本",
    // The words of East–West collaboration.
    "协胁办",
    "作昨怎诈",
    "写泻与",
    "劳荣营",
    "务各备",
    "帮邦绑",
    "扶抚拂抉",
    "付附府符",
    "援缓暖",
    "助阻组祖粗",
    "就蹴",
    "业亚",
    "车东年",
    "间问闻阅",
    "工土干",
    "厂广",
    "代伐找",
    "赈账胀帐张",
    "振震赈",
    "技枝肢",
    "培陪倍赔部",
    "训讯驯川",
    "教孝",
    "校较效郊",
    "院完浣",
    "毕华",
    "护沪扩炉",
    "理埋狸",
    "政攻故",
    "站钻沾战",
    "点占店",
    "品晶",
    "牌碑脾稗",
    "嫂搜瘦艘",
    "岗钢纲刚",
    "稳隐",
    "转传砖专",
    "移侈",
    "收牧",
    "增赠憎僧",
    "脱悦锐说",
    "巩恐筑",
    "村衬材",
    "园圆",
    "挂桂佳娃",
    "职织识帜积",
    "派脉",
    "遣遗",
    "精睛晴请情清靖",
    "制刺",
    "度渡席",
    "考老孝",
    "核该刻孩咳",
    "评坪苹",
    "价阶介",
    "绩债迹",
    "员贝页",
    "挣争睁",
    "钱线浅践",
    "社杜",
    "资姿咨",
    "金全",
    "镇慎滇填真",
    "区匹医",
    "份纷粉",
    "输偷愉谕渝",
    "绣锈诱透",
    "绒戎",
    "拉垃粒",
    "蛳狮",
    "师帅",
    "傅博",
    "建健键律",
    "化花华货",
    "隆降",
    "厨橱",
    // Places and pairs.
    "闽闵",
    "粤奥",
    "浙淅哲",
    "沪泸",
    "冀翼",
    "晋普",
    "吕宫",
    "陕峡狭侠",
    "宁宇字",
    "夏复厦",
    "青责请",
    "贵责贯",
    "海悔梅",
    "疆僵缰",
    "蒙豪家",
    "凉谅晾",
    "赤亦",
    "峰锋蜂逢",
    "原源愿",
    "杭航",
    "毛手",
    "西酉",
    "甘廿",
    "云去",
];

#[cfg(test)]
mod tests {
    use super::GROUPS;
    use crate::search::text::{CharClass, Folder, char_class};

    #[test]
    fn groups_are_simplified_ideographs_without_repeats() {
        let folder = Folder::new();
        for g in GROUPS {
            let chars: Vec<char> = g.chars().collect();
            assert!(chars.len() >= 2, "{g}");
            assert!(
                chars.iter().all(|&c| char_class(c) == CharClass::Cjk),
                "{g}"
            );
            let mut sorted = chars.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), chars.len(), "repeat in {g}");
            // Queries are folded to simplified characters: a traditional one would never match.
            assert_eq!(folder.normalize(g), *g, "{g}");
        }
    }
}
