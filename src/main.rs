fn main() {
    let dir = std::env::args().nth(1).unwrap_or(".".into());
    match xiezuo::resolve::load_site(std::path::Path::new(&dir), &Default::default()) {
        Ok(l) => { for w in l.warnings { println!("W {w}"); } println!("cases {} brands {} bulletins {} pages {} stats {} files {}", l.site.cases.len(), l.site.brands.len(), l.site.bulletins.len(), l.site.pages.len(), l.site.stats.len(), l.site.files.len()); }
        Err(d) => for e in d { println!("E {e}"); },
    }
}
