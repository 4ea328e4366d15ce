// `RongIMLib.RongIMEmoji`, 2.x's emoji helper: Unicode emoji ⇄ `[name]` symbols (what an input
// box shows) ⇄ HTML. A small default set of common emoji with Chinese names; `init({dataSource})`
// takes 2.x's own table format (`{u1F600: {tag: '😀', zh: '…', en: '…'}, …}`) instead. Emoji are
// shown as the system renders them (no sprite images).

/** `emoji` + name, space-separated: one code point each, so rows split with Array.from. */
const DEFAULT =
  '😀笑脸 😁呲牙 😂笑哭 😃开心 😅尴尬 😉眨眼 😊微笑 😋馋 😍喜欢 😎酷 😏坏笑 😘飞吻 ' +
  '😜调皮 😢流泪 😭大哭 😡生气 😱惊恐 😳脸红 😴睡觉 😷口罩 🤔思考 🙈捂眼 🙏拜托 👍赞 ' +
  '👎踩 👏鼓掌 👌好的 💪加油 🎉庆祝 🌹玫瑰 🍺啤酒 ☕咖啡 🎂蛋糕 🎁礼物 💖爱心 💔心碎 ' +
  '🔥火 ⭐星星 🌙月亮 💩便便 👻鬼';

let byEmoji = {};
let byName = {};

const html = (e) => `<span class="rong-emoji" title="[${byEmoji[e]}]">${e}</span>`;
const text = (f) => (s) => (typeof s === 'string' ? f(s) : s);

export class RongIMEmoji {
  /** Sets the emoji table: 2.x's `{dataSource}` format, or the default set. */
  static init(config) {
    const source = config && config.dataSource;
    const rows = source
      ? Object.keys(source).map((k) => [source[k].tag, source[k].zh || source[k].en])
      : DEFAULT.split(' ').map((row) => {
          const [emoji, ...name] = Array.from(row);
          return [emoji, name.join('')];
        });
    byEmoji = {};
    byName = {};
    RongIMEmoji.list = [];
    RongIMEmoji.emojis = [];
    for (const [emoji, name] of rows) {
      if (typeof emoji !== 'string' || !name) continue;
      byEmoji[emoji] = name;
      byName[name] = emoji;
      const unicode = `u${Array.from(emoji, (c) => c.codePointAt(0).toString(16).toUpperCase()).join('-')}`;
      RongIMEmoji.list.push({ unicode, emoji, symbol: `[${name}]` });
      RongIMEmoji.emojis.push(html(emoji));
    }
  }
}

/** Known emoji, one by one: emoji sequences of several code points match as a whole first. */
const eachEmoji = (s, f) => {
  const known = Object.keys(byEmoji).sort((a, b) => b.length - a.length);
  let out = '';
  for (let i = 0; i < s.length; ) {
    const e = known.find((k) => s.startsWith(k, i));
    out += e ? f(e) : s[i];
    i += e ? e.length : 1;
  }
  return out;
};

RongIMEmoji.emojiToSymbol = text((s) => eachEmoji(s, (e) => `[${byEmoji[e]}]`));
RongIMEmoji.symbolToEmoji = text((s) => s.replace(/\[([^[\]]+)\]/g, (m, name) => byName[name] || m));
RongIMEmoji.emojiToHTML = text((s) => eachEmoji(s, html));
RongIMEmoji.symbolToHTML = text((s) => RongIMEmoji.emojiToHTML(RongIMEmoji.symbolToEmoji(s)));
RongIMEmoji.init();
