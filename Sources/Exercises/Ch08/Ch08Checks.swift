import ExerciseSupport
import Raft

extension Catalog {
    static let ch08 = ChapterExercises(chapter: 8, exercises: [])
}
