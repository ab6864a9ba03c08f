import ExerciseSupport
import Raft
#if YOURS_CH01
import YoursCh01
#endif
#if YOURS_CH02
import YoursCh02
#endif
#if YOURS_CH03
import YoursCh03
#endif
#if YOURS_CH04
import YoursCh04
#endif
#if YOURS_CH05
import YoursCh05
#endif
#if YOURS_CH06
import YoursCh06
#endif
#if YOURS_CH07
import YoursCh07
#endif
#if YOURS_CH08
import YoursCh08
#endif
#if YOURS_CH09
import YoursCh09
#endif

/// The chapters of the learner's code compiled into this judge (the `workbook` command builds it
/// with the chapters that compile), each with the function that plugs its exercises into `Parts`.
let compiledChapters: [(chapter: Int, plug: @Sendable (Set<ExerciseID>, inout Parts) -> Void)] = {
    var plugs: [(chapter: Int, plug: @Sendable (Set<ExerciseID>, inout Parts) -> Void)] = []
    #if YOURS_CH01
    plugs.append((1, Chapter01.plug))
    #endif
    #if YOURS_CH02
    plugs.append((2, Chapter02.plug))
    #endif
    #if YOURS_CH03
    plugs.append((3, Chapter03.plug))
    #endif
    #if YOURS_CH04
    plugs.append((4, Chapter04.plug))
    #endif
    #if YOURS_CH05
    plugs.append((5, Chapter05.plug))
    #endif
    #if YOURS_CH06
    plugs.append((6, Chapter06.plug))
    #endif
    #if YOURS_CH07
    plugs.append((7, Chapter07.plug))
    #endif
    #if YOURS_CH08
    plugs.append((8, Chapter08.plug))
    #endif
    #if YOURS_CH09
    plugs.append((9, Chapter09.plug))
    #endif
    return plugs
}()

/// `Parts` with the given exercises plugged in, from the chapters compiled in.
@Sendable func plug(_ ids: Set<ExerciseID>) -> Parts {
    var parts = Parts()
    for (chapter, plugChapter) in compiledChapters where ids.contains(where: { $0.chapter == chapter }) {
        plugChapter(ids, &parts)
    }
    return parts
}
