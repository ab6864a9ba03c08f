import ExerciseSupport
import Raft

extension Catalog {
    static let ch02 = ChapterExercises(chapter: 2, exercises: [])
}
