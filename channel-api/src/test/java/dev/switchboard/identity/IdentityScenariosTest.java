package dev.switchboard.identity;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The identity rules as a table: each row is a story of inbound events and agent actions, and what must be true
 * afterwards. The language is described in {@link ScenarioHarness}; P and Q below are two Russian mobile numbers.
 */
class IdentityScenariosTest {

    static Stream<Arguments> scenarios() {
        return Stream.of(
                row("a new account creates a customer with the profile's name and language",
                        "resolve(tg:1, name=Anna Ivanova, lang=ru)",
                        "customers=1; created(last); name(tg:1)=Anna Ivanova; lang(tg:1)=ru; merges=0; open=0"),
                row("the same account resolved twice stays one customer",
                        "resolve(tg:1, name=Anna); resolve(tg:1, name=Anna)",
                        "customers=1; merges=0"),
                row("a verified phone on two channels merges them",
                        "resolve(tg:1, vphone=+79161234567); resolve(viber:1, vphone=+7 916 123-45-67)",
                        "customers=1; merges=1; same(tg:1, viber:1); evidence(last)=viber.contact"),
                row("phone formats normalise to one point: national with 8, +7 spaced, Telegram without +",
                        "resolve(tg:1, vphone=79161234567); resolve(viber:1, vphone=8 (916) 123-45-67);"
                                + "resolve(vk:1, vphone=+7 916 123 45 67)",
                        "customers=1; merges=2; verified(tg:1, +79161234567)"),
                row("the same person on five channels is one customer",
                        "resolve(tg:1, name=Anna Ivanova, vphone=+79161234567);"
                                + "resolve(em:anna@example.com, vemail=Anna@Example.com);"
                                + "resolve(web:visitor-9, vext=user-42, vemail=anna@example.com);"
                                + "resolve(vk:77, vphone=8 916 123 45 67);"
                                + "resolve(viber:abc, vphone=+79161234567, vext=user-42)",
                        "customers=1; same(tg:1, em:anna@example.com, web:visitor-9, vk:77, viber:abc); merges=4"),
                row("the survivor is the older customer",
                        "resolve(tg:1, vphone=+79161234567); resolve(viber:1, vphone=+79161234567)",
                        "survivor(last)=tg:1"),
                row("family phone: two Telegram users verifying one phone are two people",
                        "resolve(tg:1, name=Mother, vphone=+79161234567);"
                                + "resolve(tg:2, name=Son, vphone=+79161234567)",
                        "customers=2; merges=0; ambiguous(+79161234567); open=1; different(tg:1, tg:2);"
                                + "suggestionReason(last)~shared by several people"),
                row("family phone across channels: a second account of one channel verifying it undoes the merge",
                        // the mother's Telegram and the son's Viber share the number: nothing tells them apart yet, so
                        // they merge; the daughter's Viber verifying it too means one number, two Viber users, so the
                        // number is shared and the merge made through it is undone (had the daughter come first,
                        // it would never have happened: the answer does not depend on the order)
                        "resolve(tg:1, name=Mother, vphone=+79161234567);"
                                + "resolve(viber:1, name=Son, vphone=+79161234567);"
                                + "resolve(viber:2, name=Daughter, vphone=+79161234567)",
                        "customers=3; merges=0; ambiguous(+79161234567); different(tg:1, viber:1);"
                                + "different(tg:1, viber:2); open=3"),
                row("an ambiguous phone no longer merges anyone, it only suggests",
                        "resolve(tg:1, vphone=+79161234567); resolve(tg:2, vphone=+79161234567);"
                                + "resolve(viber:3, vphone=+79161234567)",
                        "customers=3; merges=0; open=3"),
                row("a phone typed in a form suggests, never merges",
                        "resolve(tg:1, vphone=+79161234567); resolve(em:b@example.com, phone=8 916 123-45-67)",
                        "customers=2; merges=0; open=1; has(em:b@example.com, +79161234567);"
                                + "suggestionReason(last)~unverified"),
                row("a phone typed in message text is found and only suggests",
                        "resolve(tg:1, vphone=+79161234567);"
                                + "resolve(em:b@example.com, text=hi! call me at 8 (916) 123-45-67 after six)",
                        "customers=2; merges=0; open=1"),
                row("an email typed in message text suggests",
                        "resolve(em:anna@example.com, vemail=anna@example.com);"
                                + "resolve(tg:5, text=my mail is Anna@Example.com thanks)",
                        "customers=2; open=1"),
                row("the same suggestion is not raised twice",
                        "resolve(tg:1, vphone=+79161234567, vemail=a@example.com);"
                                + "resolve(web:x, phone=+79161234567, email=a@example.com);"
                                + "resolve(web:x, text=again +7 916 123 45 67)",
                        "customers=2; open=1"),
                row("a pair already suggested through a customer merged away since is not suggested again",
                        "resolve(vk:1, vemail=a@example.com); resolve(tg:1, vphone=+79161234567);"
                                + "resolve(web:x, phone=+79161234567, email=b@example.com);"
                                // tg:1 verifies the email vk:1 verified: merged into vk:1's (older) customer, and
                                // the open suggestion with web:x stays listed under the absorbed id
                                + "resolve(tg:1, vemail=a@example.com);"
                                + "resolve(vk:1, email=b@example.com)",
                        "customers=2; merges=1; open=1"),
                row("Cyrillic and Latin spellings of one name suggest",
                        "resolve(tg:1, name=Анастасия Петрова); resolve(em:a@example.com, name=Anastasia Petrova)",
                        "customers=2; merges=0; open=1; suggestionReason(last)~similar names"),
                row("token order does not matter for names",
                        "resolve(tg:1, name=Petrova Anastasia); resolve(vk:1, name=Anastasiya Petrova)",
                        "open=1"),
                row("a typo in a surname still suggests",
                        "resolve(tg:1, name=Anastasia Petrova); resolve(vk:1, name=Anastasia Petorva)",
                        "open=1"),
                row("a different surname does not suggest",
                        "resolve(tg:1, name=Anastasia Petrova); resolve(vk:1, name=Anastasia Petrenko)",
                        "open=0"),
                row("Aleksandr and Alexander are one spelling",
                        "resolve(tg:1, name=Александр Смирнов); resolve(vk:1, name=Alexander Smirnov)",
                        "open=1"),
                row("й ы щ х ц ё ь variants transliterate alike",
                        "resolve(tg:1, name=Юлия Щукина); resolve(vk:1, name=Yulia Shchukina);"
                                + "resolve(tg:2, name=Дмитрий Цветков); resolve(vk:2, name=Dmitry Tsvetkov);"
                                + "resolve(tg:3, name=Фёдор Крылов); resolve(vk:3, name=Fedor Krylov);"
                                + "resolve(tg:4, name=Наталья Хохлова); resolve(vk:4, name=Natalia Khokhlova);"
                                + "resolve(tg:5, name=Андрей Бойко); resolve(vk:5, name=Andrei Boyko)",
                        "customers=10; open=5; merges=0"),
                row("a common name (a key shared by more than 8 customers) raises no name suggestions",
                        "resolve(tg:1, name=Ivan Petrov); resolve(tg:2, name=Ivan Petrov);"
                                + "resolve(tg:3, name=Ivan Petrov); resolve(tg:4, name=Ivan Petrov);"
                                + "resolve(tg:5, name=Иван Петров);"
                                + "resolve(tg:6, name=Ivan Petrov); resolve(tg:7, name=Ivan Petrov);"
                                + "resolve(tg:8, name=Ivan Petrov); resolve(tg:9, name=Ivan Petrov);"
                                + "resolve(tg:10, name=Ivan Petorv);"
                                + "resolve(tg:11, name=Ivan Petrov, text=call +7 916 123 45 67);"
                                + "resolve(vk:1, vphone=+79161234567)",
                        // 1+2+3+3+3+3+3 name suggestions from the first eight; none from the ninth on; the typed
                        // phone still suggests
                        "customers=12; merges=0; open=19; suggestionReason(last)~+79161234567"),
                row("a point more than 8 customers hold (the shop's hotline quoted back) neither suggests nor merges",
                        "resolve(vk:1, phone=8 800 555-35-35); resolve(vk:2, phone=8 800 555-35-35); "
                                + "resolve(vk:3, phone=8 800 555-35-35); resolve(vk:4, phone=8 800 555-35-35); "
                                + "resolve(vk:5, phone=8 800 555-35-35); resolve(vk:6, phone=8 800 555-35-35); "
                                + "resolve(vk:7, phone=8 800 555-35-35); resolve(vk:8, phone=8 800 555-35-35); "
                                + "resolve(vk:9, phone=8 800 555-35-35); resolve(vk:10, phone=8 800 555-35-35); "
                                + "resolve(vk:11, phone=8 800 555-35-35); resolve(vk:12, phone=8 800 555-35-35); "
                                + "resolve(tg:1, vphone=+78005553535); resolve(viber:1, vphone=+78005553535);"
                                + "resolve(tg:2, phone=+7 916 123 45 67); resolve(vk:20, phone=+79161234567)",
                        // 0+1+...+7 suggestions among the first eight holders, none from the ninth on, however the
                        // point arrives; an ordinary typed phone still suggests
                        "customers=16; merges=0; open=29; suggestionReason(last)~+79161234567"),
                row("a first name alone never suggests",
                        "resolve(tg:1, name=Anna); resolve(vk:1, name=Anna)",
                        "open=0"),
                row("merge then unmerge gives back exactly the prior customers",
                        "resolve(tg:1, name=Anna, vphone=+79161234567, vemail=anna@example.com);"
                                + "attr(tg:1, city, Moscow); attr(tg:1, tier, gold);"
                                + "resolve(viber:1, name=Anya, lang=en, vphone=+79161234567);"
                                + "unmerge(last)",
                        "restored; customers=2; merges=0; different(tg:1, viber:1); lacks(tg:1, +79031112233)"),
                row("after an unmerge the next event does not merge the pair again",
                        "resolve(tg:1, vphone=+79161234567, vemail=anna@example.com);"
                                + "resolve(viber:1, vphone=+79161234567); unmerge(last);"
                                + "resolve(viber:1, vemail=anna@example.com)",
                        "customers=2; merges=0; different(tg:1, viber:1)"),
                row("unmerging twice is refused",
                        "resolve(tg:1, vphone=+79161234567); resolve(viber:1, vphone=+79161234567);"
                                + "unmerge(last); unmerge!(last, message=already undone)",
                        "customers=2"),
                row("unmerge is refused while the survivor is merged into someone else",
                        "resolve(em:a@example.com, vemail=a@example.com);"
                                + "resolve(web:v, vemail=a@example.com, vext=u1);"
                                + "resolve(tg:1, vphone=+79161234567); resolve(viber:1, vphone=+79161234567);"
                                + "merge(em:a@example.com, tg:1);"
                                + "unmerge!(2, message=undo that merge first)",
                        "customers=1; merges=3"),
                row("after undoing the later merge the earlier one can be undone",
                        "resolve(em:a@example.com, vemail=a@example.com);"
                                + "resolve(tg:1, vphone=+79161234567); resolve(viber:1, vphone=+79161234567);"
                                + "merge(tg:1, em:a@example.com); unmerge(last); unmerge(1)",
                        "customers=3; merges=0; restored"),
                row("the survivor keeps what it gained after the merge",
                        "resolve(tg:1, vphone=+79161234567); resolve(viber:1, vphone=+79161234567);"
                                + "resolve(tg:1, vemail=new@example.com); resolve(viber:1, vemail=viber@example.com);"
                                + "unmerge(1)",
                        "customers=2; has(tg:1, new@example.com); lacks(viber:1, new@example.com);"
                                + "has(viber:1, viber@example.com); lacks(tg:1, viber@example.com);"
                                + "has(viber:1, +79161234567)"),
                row("a revoked consent survives a merge with a later grant",
                        "resolve(tg:1, vphone=+79161234567); consent(tg:1, marketing, revoke);"
                                + "resolve(viber:1); consent(viber:1, marketing, grant);"
                                + "resolve(viber:1, vphone=+79161234567)",
                        "customers=1; consent(tg:1, marketing, telegram)=false; consent(viber:1, marketing, viber)=false"),
                row("a grant on both sides stays a grant",
                        "resolve(tg:1, vphone=+79161234567); consent(tg:1, marketing, grant);"
                                + "resolve(viber:1); consent(viber:1, marketing, grant);"
                                + "resolve(viber:1, vphone=+79161234567)",
                        "customers=1; consent(tg:1, marketing, telegram)=true"),
                row("do-not-contact survives a merge",
                        "resolve(tg:1, vphone=+79161234567); resolve(viber:1); dnc(viber:1, telegram);"
                                + "resolve(viber:1, vphone=+79161234567)",
                        "customers=1; dnc(tg:1, telegram)"),
                row("disagreeing attributes are kept as conflicts, the survivor's value wins",
                        "resolve(tg:1, name=Anna Ivanova, lang=ru, vphone=+79161234567); attr(tg:1, city, Moscow);"
                                + "resolve(viber:1, name=Anna Petrova, lang=en); attr(viber:1, city, Kazan);"
                                + "attr(viber:1, tier, gold); resolve(viber:1, vphone=+79161234567)",
                        "customers=1; conflicts(tg:1)=3; name(tg:1)=Anna Ivanova; lang(tg:1)=ru;"
                                + "attr(tg:1, city)=Moscow; attr(tg:1, tier)=gold"),
                row("an empty attribute is filled from the absorbed customer without a conflict",
                        "resolve(tg:1, vphone=+79161234567); resolve(viber:1, name=Anna Ivanova, lang=ru);"
                                + "resolve(viber:1, vphone=+79161234567)",
                        "conflicts(tg:1)=0; name(tg:1)=Anna Ivanova"),
                row("blocking one account leaves the others and ignores its evidence",
                        "resolve(tg:1, vphone=+79161234567, vemail=a@example.com);"
                                + "resolve(em:a@example.com, vemail=a@example.com);"
                                + "resolve(viber:1); block(viber:1); resolve(viber:1, vphone=+79161234567)",
                        "customers=2; blocked(viber:1); notBlocked(tg:1); notBlocked(em:a@example.com);"
                                + "lacks(viber:1, +79161234567)"),
                row("an unblocked account merges again",
                        "resolve(tg:1, vphone=+79161234567); resolve(viber:1); block(viber:1); unblock(viber:1);"
                                + "resolve(viber:1, vphone=+79161234567)",
                        "customers=1; notBlocked(viber:1)"),
                row("tenants never merge, even with colliding ids and phones",
                        "resolve(tg:1, name=Anna Petrova, vphone=+79161234567);"
                                + "resolve(t2/tg:1, name=Anna Petrova, vphone=+79161234567);"
                                + "resolve(t2/viber:1, name=Anna Petrova, vphone=+79161234567)",
                        "customers=1; customers@t2=1; different(tg:1, t2/tg:1); open=0; open@t2=0; merges=1"),
                row("a family phone in one tenant is not ambiguous in another",
                        "resolve(tg:1, vphone=+79161234567); resolve(tg:2, vphone=+79161234567);"
                                + "resolve(t2/tg:1, vphone=+79161234567); resolve(t2/viber:1, vphone=+79161234567)",
                        "customers=2; customers@t2=1; ambiguous(+79161234567);"
                                + "notAmbiguous(+79161234567, tenant=t2)"),
                row("the host links a known account to a customer",
                        "resolve(tg:1, name=Anna); resolve(em:a@example.com); link(em:a@example.com, tg:1)",
                        "customers=1; same(tg:1, em:a@example.com); actor(last)=host-app;"
                                + "evidence(last)=host.link"),
                row("the host links an account never seen before",
                        "resolve(tg:1, name=Anna); link(web:visitor-1, tg:1)",
                        "customers=1; same(tg:1, web:visitor-1); merges=0"),
                row("a merge log entry carries its evidence, reason and actor",
                        "resolve(web:v1, vext=u-9, vemail=a@example.com);"
                                + "resolve(em:a@example.com, vemail=a@example.com)",
                        "evidence(last)=email.sender; actor(last)=identity-engine; reason(last)~a@example.com"),
                row("an agent accepts a suggestion and the pair merges",
                        "resolve(tg:1, name=Анастасия Петрова); resolve(em:a@example.com, name=Anastasia Petrova);"
                                + "accept(last)",
                        "customers=1; suggestion(1)=ACCEPTED; actor(last)=agent-7; open=0"),
                row("an agent rejects a suggestion and shared verified evidence later does not merge",
                        "resolve(tg:1, name=Anna Petrova, vemail=anna@example.com);"
                                + "resolve(vk:1, name=Anna Petrova); reject(last);"
                                + "resolve(vk:1, vemail=anna@example.com)",
                        "customers=2; merges=0; suggestion(1)=REJECTED; ambiguous(anna@example.com); open=0"),
                row("email case and spaces normalise, dots and plus tags do not",
                        "resolve(em:x, vemail= Anna@Example.COM ); resolve(em:y, vemail=anna@example.com);"
                                + "resolve(em:z, vemail=a.nna@example.com); resolve(em:w, vemail=anna+shop@example.com)",
                        "customers=3; same(em:x, em:y); different(em:x, em:z); different(em:x, em:w)"),
                row("an invalid phone is ignored",
                        "resolve(tg:1, vphone=12); resolve(tg:2, vphone=12)",
                        "customers=2; contacts(tg:1)=0; contacts(tg:2)=0"),
                row("an accepted merge of a chain follows mergedInto to the canonical customer",
                        "resolve(tg:1, vphone=+79161234567); resolve(viber:1, vphone=+79161234567, vemail=b@example.com);"
                                + "resolve(em:b@example.com, vemail=b@example.com, vext=h-1);"
                                + "resolve(web:w, vext=h-1)",
                        "customers=1; same(tg:1, viber:1, em:b@example.com, web:w); merges=3"),
                row("a verified phone matching one another customer only typed suggests",
                        "resolve(em:b@example.com, phone=+79161234567); resolve(tg:1, vphone=+79161234567)",
                        "customers=2; open=1; merges=0"),
                row("undoing an accepted suggestion restores both and keeps them apart",
                        "resolve(tg:1, name=Анастасия Петрова); resolve(em:a@example.com, name=Anastasia Petrova);"
                                + "accept(last); unmerge(last)",
                        "customers=2; restored; merges=0"),
                // ---- host user ids are authoritative, whatever the order (privacy)
                row("two host user ids behind one landline stay two people, and the Telegram user is neither",
                        // A's webchat signs the family landline, B's Telegram runs on it, then B's webchat signs it
                        "resolve(web:a, vext=user-a, vphone=+74951234567); resolve(tg:2, vphone=+74951234567);"
                                + "resolve(web:b, vext=user-b, vphone=+74951234567)",
                        "customers=3; merges=0; ambiguous(+74951234567); different(web:a, tg:2);"
                                + "different(tg:2, web:b); open=3; queue=3"),
                row("the same household in another order gives the same customers",
                        "resolve(tg:2, vphone=+74951234567); resolve(web:b, vext=user-b, vphone=+74951234567);"
                                + "resolve(web:a, vext=user-a, vphone=+74951234567)",
                        "customers=3; merges=0; ambiguous(+74951234567); different(web:a, tg:2);"
                                + "different(tg:2, web:b)"),
                row("two host user ids sharing a verified email are never merged; the email only suggests",
                        "resolve(web:a, vext=user-a, vemail=family@example.com);"
                                + "resolve(web:b, vext=user-b, vemail=family@example.com)",
                        "customers=2; merges=0; ambiguous(family@example.com); open=1;"
                                + "suggestionReason(last)~shared by several people"),
                row("a point that would join two host users undoes the merge made through it",
                        "resolve(web:a, vext=user-a, vemail=shared@example.com);"
                                + "resolve(em:shared@example.com, vemail=shared@example.com);"
                                + "resolve(web:b, vext=user-b, vemail=shared@example.com)",
                        "customers=3; merges=0; different(web:a, em:shared@example.com); different(web:a, web:b)"),
                row("one host user on two devices is still one customer",
                        "resolve(web:a, vext=user-a, vphone=+74951234567); resolve(web:a2, vext=user-a, vphone=+74951234567)",
                        "customers=1; notAmbiguous(+74951234567)"),
                // ---- names an agent needs
                row("diminutives and informal forms suggest their full names, in both scripts",
                        "resolve(tg:1, name=Саша Петрова); resolve(vk:1, name=Александра Петрова);"
                                + "resolve(tg:2, name=Женя Орлов); resolve(vk:2, name=Евгений Орлов);"
                                + "resolve(tg:3, name=Коля Соколов); resolve(vk:3, name=Николай Соколов);"
                                + "resolve(tg:4, name=Катя Лебедева); resolve(vk:4, name=Екатерина Лебедева);"
                                + "resolve(tg:5, name=Ника Зайцева); resolve(vk:5, name=Вероника Зайцева);"
                                + "resolve(tg:6, name=Roma Belov); resolve(vk:6, name=Роман Белов);"
                                + "resolve(tg:7, name=Dima Kozlov); resolve(vk:7, name=Дмитрий Козлов)",
                        "customers=14; merges=0; open=7; suggestionReason(last)~similar names"),
                row("a hard c is a k: Victor and Виктор",
                        "resolve(tg:1, name=Victor Sokolov); resolve(vk:1, name=Виктор Соколов)",
                        "open=1"),
                row("a Cyrillic и before о is two letters, not a written-out ё",
                        // "Вионов" read as "Венов" would no longer look like Воинов
                        "resolve(tg:1, name=Игорь Петров); resolve(vk:1, name=Игорь Петиорв);"
                                + "resolve(tg:2, name=Сергей Воинов); resolve(vk:2, name=Сергей Вионов)",
                        "open=2"),
                row("a consonant dropped by a typo still suggests",
                        "resolve(tg:1, name=Сергей Мороов); resolve(vk:1, name=Сергей Морозов)",
                        "open=1"),
                row("a different given name with the same surname does not suggest",
                        "resolve(tg:1, name=Вячеслав Крылов); resolve(vk:1, name=Ярослав Крылов);"
                                + "resolve(tg:2, name=Саша Петров); resolve(vk:2, name=Паша Петров)",
                        "open=0"),
                // ---- a clean queue
                row("a merge closes a suggestion recorded under a customer folded in earlier",
                        // Anna (tg:1) and Anna (viber:1) are suggested; viber:1 is folded into vk:1's customer, and
                        // that customer into tg:1's: the suggestion now pairs tg:1's customer with itself
                        "resolve(tg:1, name=Anna Petrova); resolve(vk:1, vphone=+79161234567);"
                                + "resolve(viber:1, name=Anna Petrova); resolve(viber:1, vphone=+79161234567);"
                                + "resolve(tg:1, vemail=anna@example.com); resolve(vk:1, vemail=anna@example.com)",
                        "customers=1; merges=2; open=0; queue=0"),
                row("two suggestions that came to name one pair are listed once, by canonical ids",
                        "resolve(tg:1, name=Anna Petrova); resolve(vk:1, name=Anna Petrova);"
                                + "resolve(viber:1, name=Anna Petrova);"
                                + "resolve(vk:1, vphone=+79161234567); resolve(viber:1, vphone=+79161234567)",
                        "customers=2; merges=1; open=1; queue=1"),
                // ---- host-signed deep links
                row("a signed deep link makes a Telegram account the host user it names",
                        "resolve(web:a, vext=user-42, vemail=a@example.com); resolve(tg:1, vlink=user-42)",
                        "customers=1; same(web:a, tg:1); evidence(last)=telegram.start"),
                row("forged and other-tenant deep links are ignored, and the message still resolves",
                        "resolve(web:a, vext=user-42); resolve(tg:1, forgedlink=user-42);"
                                + "resolve(tg:2, t2link=user-42)",
                        "customers=3; merges=0; contacts(tg:1)=0; contacts(tg:2)=0"),
                row("an email account id is the normalised address",
                        "resolve(em:JOHN.Doe@Example.com, vemail=JOHN.Doe@Example.com);"
                                + "resolve(em:john.doe@example.com, vemail=john.doe@example.com)",
                        "customers=1; merges=0; accounts(em:john.doe@example.com)=1"));
    }

    private static Arguments row(String name, String steps, String expectations) {
        return Arguments.of(name, steps, expectations);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String name, String steps, String expectations) {
        new ScenarioHarness().run(steps, expectations);
    }
}
