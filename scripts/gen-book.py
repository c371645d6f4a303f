#!/usr/bin/env python3
"""Write a deterministic synthetic book in mdBook format, for benchmarks.

Usage: python3 scripts/gen-book.py OUT_DIR N_CHAPTERS [--seed SEED]

The book builds with both mdBook and guidebook without broken links:

    OUT_DIR/book.toml
    OUT_DIR/src/SUMMARY.md                 # `# Part N` every 50 chapters, nested chapters
    OUT_DIR/src/README.md                  # introduction (prefix chapter)
    OUT_DIR/src/part-03/chapter-0123.md    # one file per chapter, 2-4 KB of Markdown each

Each chapter mixes Chinese and English prose and has an h1, `##`/`###` headings, bullet and
numbered lists, a GFM table, a task list, emphasis, code spans, sometimes a fenced code block,
and 2-3 links to other chapters, some of them to a `#heading` anchor that exists in the target.

OUT_DIR/src is removed first, so a smaller book never keeps stale chapters of a larger one.
All text comes from fixed word lists through random.Random(seed), so the same arguments always
write byte-identical files.
"""

import argparse
import os
import random
import shutil
import sys

CHAPTERS_PER_PART = 50

# Nesting pattern inside a part, by position modulo len(DEPTHS): 0 = top level, 1 = child of the
# last top-level chapter, 2 = grandchild. Depth never rises by more than one step.
DEPTHS = [0, 1, 1, 2, 0, 0, 1, 0]

ZH_TOPICS = [
    "沟通节奏", "复盘方法", "团队信任", "目标拆解", "反馈循环", "时间管理", "跨部门协作",
    "关系地图", "承诺兑现", "情绪调节", "会议效率", "知识沉淀", "风险预警", "优先级排序",
    "新人引导", "远程协作", "决策记录", "冲突化解", "影响力建设", "职业规划", "工作交接",
    "项目启动", "需求澄清", "进度同步", "质量把关", "客户沟通", "预算控制", "资源协调",
]

EN_TOPICS = [
    "Feedback Loops", "Weekly Review", "Shared Context", "Small Wins", "Clear Ownership",
    "Async Updates", "Decision Logs", "Risk Register", "Onboarding Notes", "Working Agreements",
    "Status Reports", "Team Rituals", "Stakeholder Maps", "Retrospectives", "Focus Time",
    "Handoff Checklists", "Escalation Paths", "Release Planning", "Open Questions",
    "Trust Building", "Meeting Notes", "Goal Setting", "Scope Control", "Follow Ups",
]

# Section headings: letters, digits and spaces only, so every tool computes the same slug.
ZH_SECTIONS = [
    "为什么重要", "常见误区", "第一步做什么", "具体做法", "一个例子", "如何衡量", "注意事项",
    "和上级沟通", "和同事配合", "小结", "延伸阅读", "背景", "原则", "练习", "复盘问题",
    "工具与模板", "时间安排", "角色分工", "失败之后", "长期习惯",
]

EN_SECTIONS = [
    "Why It Matters", "Common Pitfalls", "First Steps", "In Practice", "A Worked Example",
    "How to Measure", "Things to Watch", "Talking to Your Manager", "Working with Peers",
    "Summary", "Further Reading", "Background", "Principles", "Exercises", "Review Questions",
    "Tools and Templates", "Scheduling", "Roles", "After a Setback", "Long Term Habits",
]

ZH_SUBJECTS = ["团队", "项目负责人", "新同事", "我们", "每个人", "产品经理", "工程师", "客户",
               "直属上级", "合作伙伴", "这个小组", "评审人"]
ZH_VERBS = ["整理", "确认", "记录", "讨论", "拆解", "跟进", "复盘", "同步", "调整", "说明",
            "梳理", "回顾", "对齐", "安排"]
ZH_OBJECTS = ["下周的计划", "关键的风险", "上一次的结论", "每个人的职责", "待办事项", "会议纪要",
              "项目目标", "交付时间", "客户反馈", "预算和人手", "评审意见", "遗留问题",
              "上线步骤", "沟通渠道"]
ZH_CONTEXTS = ["周会上", "项目启动时", "交付之前", "出现问题以后", "季度复盘时", "日常协作中",
               "一对一谈话里", "跨团队会议上", "需求变更时", "版本发布前"]
ZH_CONNECTORS = ["因此", "同时", "不过", "换句话说", "另外", "更重要的是", "实际上", "所以"]
ZH_ADJ = ["清楚", "具体", "及时", "稳定", "透明", "可靠", "简单", "一致"]

EN_WORDS = ["context", "ownership", "deadline", "scope", "review", "handoff", "roadmap",
            "backlog", "milestone", "estimate", "feedback", "stakeholder", "checklist",
            "template", "retro", "standup", "sprint", "runbook", "postmortem", "agenda"]
EN_PHRASES = ["single source of truth", "done is better than perfect", "disagree and commit",
              "working in public", "small batches", "no surprises", "write it down",
              "default to open", "assume good intent", "make it visible", "close the loop",
              "one owner per task"]
CODE_SPANS = ["git log", "make release", "TODAY.md", "notes/weekly.md", "status: blocked",
              "owner: @lee", "cargo build", "due: friday", "v2.3.1", "RISK-042",
              "retro.md", "priority: high", "--dry-run", "docs/decisions"]

TASKS = ["给相关的同事发一条近况", "把复盘文档发给直属上级", "更新项目的 roadmap",
         "确认下周的交付时间", "整理本周的会议纪要", "约一次三十分钟的一对一",
         "把风险清单同步到群里", "检查 backlog 里的旧任务", "给新同事写一份 onboarding notes",
         "回顾上个月的 feedback", "和合作方确认 scope", "写下这次决策的理由",
         "为下次评审准备 agenda", "清理过期的 checklist", "把 postmortem 的行动项分给负责人"]

TABLE_HEADERS = [("角色", "职责", "频率"), ("阶段", "产出", "负责人"), ("Signal", "含义", "Action"),
                 ("工具", "用途", "备注")]
TABLE_CELLS = ["每周一次", "每天", "按需", "项目经理", "全组", "本人", "会议纪要", "决策记录",
               "风险清单", "weekly", "ad hoc", "owner", "review", "draft", "已完成", "进行中",
               "待确认", "高", "中", "低"]

LANGS = [("bash", ["git switch -c review/{w}", "make check", "git log --oneline -5"]),
         ("toml", ["[{w}]", "owner = \"team-a\"", "due = \"friday\""]),
         ("text", ["{w}: draft", "status: in review", "next: follow up on monday"])]


def slugify(text):
    """GitHub's heading-id rule, as mdBook and guidebook apply it to our (punctuation-free) titles."""
    out = []
    for c in text.strip():
        if c.isalnum() or c in "-_":
            out.append(c.lower())
        elif c == " ":
            out.append("-")
    return "".join(out)


class Layout:
    """Where chapter i (1-based) lives and how it is titled."""

    def __init__(self, n, seed):
        self.n = n
        self.seed = seed
        self.width = max(4, len(str(n)))
        self.part_width = max(2, len(str((n - 1) // CHAPTERS_PER_PART + 1)))

    def part(self, i):
        return (i - 1) // CHAPTERS_PER_PART + 1

    def folder(self, i):
        return f"part-{self.part(i):0{self.part_width}d}"

    def path(self, i):
        return f"{self.folder(i)}/chapter-{i:0{self.width}d}.md"

    def depth(self, i):
        return DEPTHS[((i - 1) % CHAPTERS_PER_PART) % len(DEPTHS)]

    def rng(self, i, purpose):
        # Integer seeds are hashed the same way on every run and every Python 3 version.
        return random.Random(self.seed * 1_000_003 + i * 7 + purpose)

    def title(self, i):
        r = self.rng(i, 0)
        return f"第 {i} 章 {r.choice(ZH_TOPICS)} {r.choice(EN_TOPICS)}"

    def sections(self, i):
        """The chapter's `##` headings and, for each, its `###` headings; all slugs unique."""
        r = self.rng(i, 1)
        count = r.randint(3, 4)
        zh = r.sample(ZH_SECTIONS, count)
        en = r.sample(EN_SECTIONS, count)
        sections = []
        for k in range(count):
            heading = f"{zh[k]} {en[k]}" if r.random() < 0.5 else zh[k]
            subs = []
            if r.random() < 0.6:
                for j in range(r.randint(1, 2)):
                    subs.append(f"{zh[k]} 要点 {j + 1}")
            sections.append((heading, subs))
        return sections

    def anchors(self, i):
        return [slugify(h) for h, subs in self.sections(i) for h in [h] + subs]

    def relative(self, src, dst):
        target = self.path(dst)
        if self.folder(src) == self.folder(dst):
            return target.split("/", 1)[1]
        return "../" + target


class Writer:
    def __init__(self, r):
        self.r = r

    def zh_clause(self):
        r = self.r
        return f"{r.choice(ZH_SUBJECTS)}在{r.choice(ZH_CONTEXTS)}{r.choice(ZH_VERBS)}{r.choice(ZH_OBJECTS)}"

    def inline(self):
        r = self.r
        kind = r.randrange(5)
        if kind == 0:
            return f"*{r.choice(EN_PHRASES)}*"
        if kind == 1:
            return f"**{r.choice(ZH_OBJECTS)}**"
        if kind == 2:
            return f"`{r.choice(CODE_SPANS)}`"
        if kind == 3:
            return f"{r.choice(EN_WORDS)} 和 {r.choice(EN_WORDS)}"
        return r.choice(EN_WORDS)

    def sentence(self):
        r = self.r
        kind = r.randrange(6)
        if kind == 0:
            return f"{self.zh_clause()}，{r.choice(ZH_CONNECTORS)}要让 {self.inline()} 保持{r.choice(ZH_ADJ)}。"
        if kind == 1:
            return f"很多人以为 {self.inline()} 只是形式，其实{self.zh_clause()}的时候最能看出差别。"
        if kind == 2:
            w = r.sample(EN_WORDS, 3)
            return f"A good {w[0]} keeps the {w[1]} small and makes the {w[2]} visible to everyone."
        if kind == 3:
            return f"{r.choice(ZH_CONNECTORS)}，先把{r.choice(ZH_OBJECTS)}写下来，再用 {self.inline()} 检查一遍。"
        if kind == 4:
            return f"When in doubt, {r.choice(EN_PHRASES)}: {r.choice(ZH_SUBJECTS)}会更容易{r.choice(ZH_VERBS)}{r.choice(ZH_OBJECTS)}。"
        return f"{self.zh_clause()}，并且用 {self.inline()} 记录结果，这样下一次就不必从头开始。"

    def paragraph(self, lo=2, hi=4, extra=""):
        parts = [self.sentence() for _ in range(self.r.randint(lo, hi))]
        if extra:
            parts.insert(self.r.randint(1, len(parts)), extra)
        # English sentences end in ASCII punctuation and need a space before the next one.
        return "".join(p + " " if p.endswith(".") else p for p in parts).rstrip()


def chapter(layout, i):
    r = layout.rng(i, 2)
    w = Writer(r)
    sections = layout.sections(i)

    # 2-3 links to other chapters; about half point at a heading that exists in the target.
    others = [j for j in r.sample(range(1, layout.n + 1), min(layout.n, 4)) if j != i]
    links = []
    for j in others[: r.randint(2, 3)]:
        href = layout.relative(i, j)
        if r.random() < 0.5:
            href += "#" + r.choice(layout.anchors(j))
        links.append(f"[第 {j} 章]({href})")
    link_sentences = [f"相关的讨论见{link}，{w.zh_clause()}时可以对照着读。" for link in links]

    out = [f"# {layout.title(i)}", "", w.paragraph(2, 3, link_sentences[0]), ""]
    tasks = r.sample(TASKS, 3)
    features = r.sample(range(len(sections)), len(sections))  # where the table and lists go
    for k, (heading, subs) in enumerate(sections):
        out += [f"## {heading}", "", w.paragraph(2, 3), ""]
        if k == features[0]:
            out += [f"- {w.zh_clause()}" for _ in range(r.randint(3, 4))] + [""]
            out += [f"{n + 1}. {w.zh_clause()}，然后 {w.inline()}" for n in range(3)] + [""]
        if k == features[1]:
            header = r.choice(TABLE_HEADERS)
            out.append("| " + " | ".join(header) + " |")
            out.append("| --- | --- | --- |")
            for _ in range(r.randint(3, 4)):
                out.append("| " + " | ".join(r.choice(TABLE_CELLS) for _ in header) + " |")
            out.append("")
        if k == features[2]:
            out += ["本周可以先做这几件事：", ""] + [f"- [ ] {t}" for t in tasks] + [""]
        if k == len(sections) - 1 and len(link_sentences) > 1:
            out += [w.paragraph(1, 2, " ".join(link_sentences[1:])), ""]
        for sub in subs:
            out += [f"### {sub}", "", w.paragraph(1, 2), ""]
            if r.random() < 0.25:
                lang, lines = r.choice(LANGS)
                word = r.choice(EN_WORDS)
                out += ["```" + lang] + [line.format(w=word) for line in lines] + ["```", ""]
    return "\n".join(out)


def summary(layout):
    lines = ["# Summary", "", "[Introduction](README.md)", ""]
    for i in range(1, layout.n + 1):
        if (i - 1) % CHAPTERS_PER_PART == 0:
            if i > 1:
                lines.append("")
            lines += [f"# Part {layout.part(i)}", ""]
        lines.append("    " * layout.depth(i) + f"- [{layout.title(i)}]({layout.path(i)})")
    return "\n".join(lines) + "\n"


def introduction(layout):
    first = layout.path(1)
    return (
        "# Introduction\n\n"
        f"这是一本自动生成的测试书，共 {layout.n} 章，分为 {layout.part(layout.n)} 个部分。"
        "它用来比较静态网站生成器的 build time、memory 和输出大小。\n\n"
        f"从[第 1 章]({first})开始阅读。\n"
    )


def book_toml(n):
    return (
        "[book]\n"
        f'title = "Synthetic Book {n} 章"\n'
        'language = "zh-CN"\n'
        'src = "src"\n'
    )


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("n_chapters", type=int)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    if args.n_chapters < 2:
        parser.error("N_CHAPTERS must be at least 2")

    layout = Layout(args.n_chapters, args.seed)
    src = os.path.join(args.out_dir, "src")
    if os.path.isdir(src):
        shutil.rmtree(src)  # a smaller book must not leave stale chapters behind
    write(os.path.join(args.out_dir, "book.toml"), book_toml(args.n_chapters))
    write(os.path.join(src, "SUMMARY.md"), summary(layout))
    write(os.path.join(src, "README.md"), introduction(layout))
    for i in range(1, args.n_chapters + 1):
        write(os.path.join(src, layout.path(i)), chapter(layout, i))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
