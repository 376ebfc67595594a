"""Texts written for the fixtures by the project (no license but the project's own), standing in for the
data sets that may not be copied into it: questions of the kinds TREC labels, and long reviews like IMDB's,
some longer than the encoder's 256-token window so that truncation is exercised."""

QUESTIONS = [
    "What is the tallest mountain in Africa?",
    "Who painted the ceiling of the Sistine Chapel?",
    "How many bones are there in an adult human body?",
    "When did the Berlin Wall fall?",
    "Where is the Great Barrier Reef located?",
    "Why is the sky blue during the day?",
    "What does NASA stand for?",
    "Which river flows through Baghdad?",
    "How far is the Moon from the Earth?",
    "Who wrote the novel One Hundred Years of Solitude?",
    "What is the boiling point of water at sea level in Fahrenheit?",
    "How do you say thank you in Japanese?",
    "What is the currency of Switzerland?",
    "Name a bird that cannot fly.",
    "What year did the first man walk on the moon?",
    "Who is the patron saint of Ireland?",
    "What's the difference between a virus and a bacterium?",
    "How long does it take light from the Sun to reach Earth?",
    "What kind of animal is a Komodo dragon?",
    "Which country has the most time zones?",
    "What is the chemical symbol for gold?",
    "Who invented the telephone?",
    "How many players are on a soccer team on the field?",
    "What is the population of Canada?",
    "What does the abbreviation DNA mean?",
    "Where was Napoleon Bonaparte born?",
    "What is the origin of the word 'quarantine'?",
    "How tall is the Eiffel Tower in meters?",
    "Which planet has the most moons?",
    "What causes the seasons on Earth?",
    "Who was the first woman to win a Nobel Prize?",
    "What is the speed of sound in air?",
    "How many strings does a standard violin have?",
    "What language is spoken in Brazil?",
    "Which organ in the human body produces insulin?",
    "What is the largest desert in the world?",
    "When was the printing press invented by Gutenberg?",
    "Who discovered penicillin, and in what year?",
    "What is a group of crows called?",
    "How deep is the Mariana Trench?",
]

REVIEWS = [
    "I went into this film expecting very little, and I came out having seen one of the warmest comedies of "
    "the decade. The script never talks down to its audience. Every joke lands because the characters are "
    "people first and punchlines second, and the two leads have the kind of easy chemistry you cannot fake. "
    "My only complaint is the final ten minutes, which tie everything up a little too neatly. Still, I laughed "
    "out loud more times than I could count, and so did everyone else in the theater. 8/10.",
    "What a waste of a talented cast. The director seems to have confused long, silent shots of empty rooms "
    "with depth, and the plot, such as it is, could be summarized on the back of a ticket stub. There are "
    "three separate scenes in which someone stares out of a rainy window while a piano plays. By the third I "
    "was checking my watch. The lead actress does what she can with dialogue like \"I just feel like the world "
    "is too big\", but nobody could save this. Avoid.",
    "This is the sort of documentary that makes you want to call your parents. It follows a family of "
    "fishermen over four years as the town around them changes, the boats get older, and the children "
    "decide, one by one, whether to stay. The camera is patient without being dull; the editing finds small "
    "moments (a shared cigarette on the dock, a granddaughter mending a net) that say more than any narration "
    "could. Some viewers will find it slow. I found it quietly devastating, and I have thought about it every "
    "day since.",
    "Okay, so the special effects are fantastic, I'll give it that. The city battle in the second act is "
    "genuinely thrilling, and the creature design is inventive. But the story is a mess: characters appear "
    "and disappear without explanation, a major villain is introduced and then forgotten, and the ending "
    "relies on a gadget nobody mentioned before. It's loud, it's expensive, and it's hollow. If you just want "
    "spectacle, you'll have a good time. If you want to care about anyone on screen, look elsewhere.",
    "A faithful, handsome adaptation of a novel I love. The production design is superb, down to the "
    "wallpaper and the buttons on the coats, and the supporting cast is uniformly excellent. The pacing "
    "suffers in the middle, where the film tries to squeeze in every subplot from the book instead of "
    "choosing a few, and the voice-over narration is sometimes heavy-handed. But the final scene between the "
    "two sisters is as moving as anything I have seen this year. Recommended, especially for readers of the "
    "book, who will catch the many small details the filmmakers clearly cared about.",
    # Longer than 256 WordPiece tokens: the encoder truncates it.
    "I have been a fan of this director since her first short film, so I waited for this one for almost "
    "three years, and I want to be fair to it, because there is a great deal here to admire. The opening "
    "twenty minutes are astonishing: a single unbroken take that moves from a crowded train station, up a "
    "staircase, through a wedding, and out onto a rooftop where the two strangers at the center of the story "
    "first meet. The sound design alone deserves an award; you can hear the city breathing. The performances "
    "are committed and often brave, particularly from the younger lead, who carries long stretches of the film "
    "with nothing but her face. And yet, somewhere around the midpoint, the film loses its nerve. The careful "
    "ambiguity of the first half gives way to explanations, flashbacks that answer questions nobody asked, and "
    "a subplot about a stolen painting that feels imported from a different, worse movie. The score, which "
    "had been restrained, starts telling us what to feel in every scene. By the time the rooftop returns in "
    "the final act, the image has lost its power, because we have been told exactly what it means. I left the "
    "cinema frustrated rather than moved, which is perhaps a compliment of a kind: you only feel this "
    "disappointed by something that came very close to greatness. I will watch it again, and I suspect I will "
    "like it more the second time, knowing where it stumbles. But as a first experience it was uneven, "
    "beautiful, exhausting, and finally a little empty, like a party that goes on for an hour after the best "
    "conversation has ended and everyone you came with has already gone home.",
    "Let me start with the good news: the first episode is terrific. Sharp writing, a mystery that hooks you "
    "in the first five minutes, and a detective who is prickly without being a cliché. The bad news is that "
    "the season is ten episodes long and has about four episodes of story. Episodes three through seven "
    "circle the same suspects, repeat the same interrogations, and pad the running time with a romance that "
    "goes nowhere. The supporting characters are introduced with great care and then given nothing to do. "
    "When the solution finally arrives, it is clever, but it depends on a clue that was shown for half a second "
    "in episode two, which felt less like fair play and more like a trick. The cinematography is gorgeous "
    "throughout, all fog and sodium streetlights, and the theme music is the kind of thing you hum for days. "
    "If the producers had cut this down to a tight six-episode season, it would have been one of the best "
    "crime shows in years. As it stands, it is a very good first episode, a very good finale, and a long, "
    "foggy, beautifully photographed wait in between. I would still recommend it to fans of the genre, with "
    "the warning that patience is required, and that the fast-forward button is your friend in the middle "
    "stretch, especially during the subplot about the harbor master's brother, which I genuinely think could "
    "be removed entirely without changing a single thing about how the story resolves at the end.",
    "Terrible. Just terrible. The sound was out of sync for the whole second half, the subtitles had typos, "
    "and the story made no sense whatsoever. Two stars for the dog, who was the best actor in it.",
]
