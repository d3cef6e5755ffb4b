//! `xiezuo init`: a new site folder with site.yaml and one example of each content kind.

use std::io;
use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        "content/site.yaml",
        "title: 东西部人社协作经验交流\nbase_url: https://www.example.gov.cn/dxbrs/\nlanguage: zh-CN\npublisher: 某某省人力资源和社会保障厅\n# 网站标识码和ICP备案号显示在页脚：政府网站请如实填写，如 site_id_code: \"1234567890\"、icp: 京ICP备12345678号；确实没有的写“无”\nsite_id_code: 无\nicp: 无\nsynonyms:\n  - [就业帮扶车间, 扶贫车间, 帮扶车间, 社区工厂]\npairs: []\n",
    ),
    (
        "content/cases/example-case.md",
        "---\ntitle: 搭建劳务协作“直通车” 帮助脱贫劳动力稳岗就业\ndate: 2025-03-18\nprovince: 贵州省\npair: 广东省\ntask: 劳务协作\ntags: [稳岗就业, 务工服务站]\nsource: 某某市人力资源和社会保障局\nsummary: 依托驻粤务工服务站，开展岗位对接和跟踪服务，帮助脱贫劳动力稳定就业。\n---\n**主要做法：**在务工人员集中的城市设立服务站，建立“输出地—输入地”两头对接机制。\n\n## 一、摸清底数\n\n逐村逐户登记外出务工意愿，形成求职人员清单。\n\n## 二、精准对接\n\n| 项目 | 数量 |\n|---|---|\n| 对接企业 | 120家 |\n| 提供岗位 | 3500个 |\n\n相关品牌见[示例品牌](../brands/example-brand.md)。\n",
    ),
    (
        "content/brands/example-brand.md",
        "---\nname: 示例护工\naliases: [示例护理]\nprovince: 贵州省\ncity: 某某市\ncategory: 养老护理\nskills: [养老护理员]\nworkers: 12000\nworkers_note: 截至2024年底累计培训人数\nsummary: 以养老护理为特色的示例劳务品牌。\n---\n## 品牌简介\n\n这是一个示例劳务品牌，请替换为真实内容。\n",
    ),
    (
        "content/bulletins/2025-1.md",
        "---\nyear: 2025\nissue: 1\ndate: 2025-03-31\ncases: [example-case]\ndistribution: {报: 部领导, 送: 各省级人力资源社会保障部门, 发: 部内有关司局}\n---\n**编者按：**本期刊发劳务协作典型经验一篇，供各地学习借鉴。\n",
    ),
    (
        "content/pages/about.md",
        "---\ntitle: 关于本站\nslug: about\n---\n本站用于交流东西部人社协作工作经验。示例内容均为虚构。\n",
    ),
    (
        "content/stats/2024.yaml",
        "- year: 2024\n  province: 贵州省\n  workshops: 2100\n  employed: 60000\n  poverty_alleviated: 35000\n  monitored: 2000\n  source: 示例数据\n",
    ),
];

/// Writes a new site into `dir`; refuses to touch a folder that already has `content/`.
pub fn init_site(dir: &Path) -> io::Result<Vec<String>> {
    if dir.join("content").exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists", dir.join("content").display()),
        ));
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        written.push((*rel).to_owned());
    }
    if add_to_gitignore(dir)? {
        written.push(".gitignore".to_owned());
    }
    Ok(written)
}

/// Keeps the built site and the build cache out of version control, adding to a `.gitignore`
/// that is already there rather than replacing it. Returns whether the file changed.
fn add_to_gitignore(dir: &Path) -> io::Result<bool> {
    let path = dir.join(".gitignore");
    let mut text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let missing: Vec<&str> = ["public/", "/.xiezuo-cache/"]
        .into_iter()
        .filter(|entry| !text.lines().any(|l| l.trim() == *entry))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for entry in missing {
        text.push_str(entry);
        text.push('\n');
    }
    std::fs::write(&path, text)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_entries_are_added_once_to_what_is_there() {
        let dir = std::env::temp_dir().join(format!("xiezuo-gitignore-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(".gitignore"), "node_modules").unwrap();
        assert!(add_to_gitignore(&dir).unwrap());
        assert!(!add_to_gitignore(&dir).unwrap());
        assert_eq!(
            std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
            "node_modules\npublic/\n/.xiezuo-cache/\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
